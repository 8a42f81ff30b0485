/**
 * `who approves [<instance>]`: the people who decide requests (on that instance, or under the default rule), by
 * name where the bot can read one, and where a request made here would reach them.
 */
import type { InstanceFacts } from '../../eligibility/facts.js';
import { ruleFor, type ApprovalRule } from '../../policy/approval-policy.js';
import { listText, scopeText, stageLines, termsLines, type NameOf } from '../../policy/describe-rule.js';
import { planFor } from '../../requests/approvals.js';
import { routingFor } from '../../requests/open-request.js';
import type { PersonalChat } from '../../requests/settings.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';
import type { Roster } from './delegate.js';

export async function whoApproves(services: BotServices, turn: TurnInfo, instance: InstanceFacts | null, roster: Roster | null): Promise<Reply> {
  const policy = services.deps.config.bot.approvalPolicy;
  const rule = instance ? ruleFor(policy, instance) : policy.default;
  const ids = [...new Set([...rule.stages.flatMap((s) => s.approvers), ...(rule.timing.escalate?.to.kind === 'people' ? rule.timing.escalate.to.ids : [])])];
  const chats = new Map<string, PersonalChat>();
  for (const id of ids) {
    const chat = await services.deps.stores.settings.personalChat(id);
    if (chat) chats.set(id.toLowerCase(), chat);
  }
  const names = await namesOf(ids, chats, roster);
  const nameOf: NameOf = (id) => names.get(id.toLowerCase()) ?? id;
  const subject = instance ? `Requests on ${instance.name}` : 'Requests';
  const lines = [
    `**${subject}** are decided under the rule "${rule.name}" (${scopeText(rule.scope)}): ${stageLines(rule, nameOf).join(' ')}`,
    ...termsLines(rule, nameOf),
    await reachText(services, turn, rule, [...chats.values()], nameOf),
  ];
  if (!instance && policy.rules.length > 0) {
    lines.push(`${policy.rules.length} other rule${policy.rules.length === 1 ? ' applies' : 's apply'} to some instances: say \`who approves <instance>\` for one.`);
  }
  return text(lines.join('\n\n'));
}

/** Display names: the Teams roster of this conversation first, then the name of the person's personal chat with the bot. */
async function namesOf(ids: string[], chats: Map<string, PersonalChat>, roster: Roster | null): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    const member = roster ? await roster(id).catch(() => null) : null;
    const name = member?.name || chats.get(id.toLowerCase())?.name;
    if (name) names.set(id.toLowerCase(), name);
  }
  return names;
}

/** Where the approval card of a request made in this conversation would go. */
async function reachText(services: BotServices, turn: TurnInfo, rule: ApprovalRule, chats: PersonalChat[], nameOf: NameOf): Promise<string> {
  const { stores } = services.deps;
  const plan = planFor(rule);
  const approverIds = [...new Set(plan.stages.flatMap((s) => s.approvers))];
  const routing = await routingFor(stores, plan, turn);
  const settings = await stores.settings.get();
  if (routing.targets.length === 0) return `How a request made here reaches them: ${routing.note}`;
  if (settings.approvalsChannel) return 'A request made here sends its approval card to the approvals channel.';
  const places: string[] = [];
  if (turn.conversation.type !== 'personal') places.push('this conversation');
  const direct = routing.targets.filter((t) => t.type === 'personal').map((t) => chats.find((c) => c.conversation.conversationId === t.conversationId));
  const people = direct.flatMap((c) => (c ? [nameOf(c.aadObjectId)] : []));
  if (people.length > 0) places.push(`a personal chat with ${listText(people)}`);
  const unreached = approverIds.filter((id) => !chats.some((c) => c.aadObjectId.toLowerCase() === id.toLowerCase()));
  const tail = unreached.length > 0 && turn.conversation.type === 'personal'
    ? ` ${listText(unreached.map(nameOf))} ${unreached.length === 1 ? 'has' : 'have'} no personal chat with me yet, so they find it by saying \`pending\`.`
    : '';
  return `A request made here sends its approval card to ${listText(places)}.${tail}`;
}
