/** `apim-vnet-bot start` (what `npm start` runs): the demo, the bot on the demo seed beside the Agents Playground. */
import { readyBanner, startDemo } from '../demo/start.js';
import type { Env } from '../config.js';

/** Runs the demo until SIGINT/SIGTERM (exit 0) or until the Playground dies on its own (exit 1). */
export async function demoCommand(env: Env): Promise<number> {
  const demo = await startDemo(env);
  process.stdout.write(readyBanner(demo));
  const reason = await new Promise<'signal' | 'playground'>((resolveReason) => {
    const onSignal = () => resolveReason('signal');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    void demo.playground.exited.then(() => resolveReason('playground'));
  });
  if (reason === 'playground') process.stderr.write(`The Agents Playground stopped on its own; stopping the bot. See ${demo.logFile}.\n`);
  await demo.close();
  return reason === 'signal' ? 0 : 1;
}
