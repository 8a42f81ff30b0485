/** Route: every chat message is a text command. */
import type { Application } from '@microsoft/teams-ai';
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { approvalsHere } from '../commands/approvals-here.js';
import { auditTrail } from '../commands/audit.js';
import { cancelRequest } from '../commands/cancel.js';
import { delegateTo, listDelegations, withdraw, type Roster } from '../commands/delegate.js';
import { disconnect } from '../commands/disconnect.js';
import { integrate } from '../commands/integrate.js';
import { listRequests } from '../commands/list-requests.js';
import { myRequests, pendingForMe } from '../commands/waiting-lists.js';
import { retry } from '../commands/retry.js';
import { resolveInstance } from '../commands/resolve-instance.js';
import { showOptions } from '../commands/show-options.js';
import { whoApproves } from '../commands/who-approves.js';
import { status } from '../commands/status.js';
import { helpCard } from '../cards/help-card.js';
import { cardActivity } from '../notifier.js';
import { parseCommand, type Command } from '../parse-command.js';
import { errorReply, text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import { turnInfoOf, type TurnInfo } from '../turn-info.js';
import { noteTurn } from '../../telemetry/index.js';

/** Longer texts are not commands (the longest real one, two resource ids, is well under this). */
export const MAX_COMMAND_CHARS = 2_000;

const tooLong = (length: number) =>
  text(`That message is too long for a command (${length.toLocaleString('en-US')} characters; commands are at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')}). Say "help" to see what I understand.`);

export async function runCommand(services: BotServices, turn: TurnInfo, command: Command, roster: Roster): Promise<Reply> {
  noteTurn({ command: command.kind });
  switch (command.kind) {
    case 'help':
      return { card: helpCard(command.problem) };
    case 'check': {
      const resolved = await resolveInstance(services, turn, command.instance, { command: 'check', target: command.target });
      return 'reply' in resolved ? resolved.reply : showOptions(services, turn, resolved.instance, command.target);
    }
    case 'integrate': {
      const resolved = await resolveInstance(services, turn, command.instance, { command: 'integrate', target: command.target });
      return 'reply' in resolved ? resolved.reply : integrate(services, turn, resolved.instance, command.target, 'text');
    }
    case 'disconnect': {
      const resolved = await resolveInstance(services, turn, command.instance, { command: 'disconnect' });
      return 'reply' in resolved ? resolved.reply : disconnect(services, turn, resolved.instance, 'text');
    }
    case 'status':
      return status(services, turn, command.target);
    case 'requests':
      return listRequests(services, turn);
    case 'pending':
      return pendingForMe(services, turn, command.page);
    case 'myRequests':
      return myRequests(services, turn, command.page);
    case 'cancel': {
      const outcome = await cancelRequest(services, turn, command.requestId);
      return text(outcome.ok ? `Request ${outcome.request.id} is cancelled.` : outcome.message);
    }
    case 'retry':
      return retry(services, turn, command.requestId);
    case 'audit':
      return auditTrail(services, turn, command.requestId);
    case 'approvalsHere':
      return approvalsHere(services, turn);
    case 'whoApproves': {
      if (!command.instance) return whoApproves(services, turn, null, roster);
      const resolved = await resolveInstance(services, turn, command.instance, { command: 'whoApproves' });
      return 'reply' in resolved ? resolved.reply : whoApproves(services, turn, resolved.instance, roster);
    }
    case 'delegate':
      return delegateTo(services, turn, command, roster);
    case 'delegations':
      return listDelegations(services, turn);
    case 'withdrawDelegation':
      return withdraw(services, turn);
  }
}

/** The conversation's members through the Teams roster API (TeamsInfo.getMember). */
function rosterOf(context: TurnContext): Roster {
  return async (teamsId) => {
    const member = await TeamsInfo.getMember(context, teamsId);
    return { teamsId: member.id, aadObjectId: member.aadObjectId ?? null, name: member.name ?? '' };
  };
}

export function registerTextCommands(app: Application, services: BotServices): void {
  app.message(
    async (context) => context.activity.type === 'message',
    async (context) => {
      const turn = turnInfoOf(context);
      let reply: Reply;
      try {
        const said = context.activity.text ?? '';
        reply = said.length > MAX_COMMAND_CHARS ? tooLong(said.length) : await runCommand(services, turn, parseCommand(said), rosterOf(context));
      } catch (error) {
        reply = errorReply(error, services.deps.logger);
      }
      const sent = await context.sendActivity(reply.card ? cardActivity(reply.card) : { type: 'message', text: reply.text ?? '' });
      const after = reply.after;
      if (after) services.background.run('after text reply', () => after(sent?.id ?? null));
    },
  );
}
