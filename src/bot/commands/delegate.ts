/**
 * `delegate to @person until <date>`, `delegations` and `withdraw delegation`. Only an approver of the policy may
 * delegate; the delegate is the person @mentioned (their Entra object id read from the conversation's roster) or
 * an object id typed out. The delegation is stored in the settings record (a compare-and-set), and the delegate is
 * told in their personal chat when the bot has one.
 */
import { isGuid } from '../../eligibility/resource-id.js';
import { messageOf } from '../../errors.js';
import { allApprovers } from '../../policy/approval-policy.js';
import { activeFrom, actingFor, addDelegation, delegationsOf, isActive, untilFrom, withdrawDelegation, type Delegation, type DelegationChange } from '../../requests/delegation.js';
import { isApprover, isSamePerson } from '../../requests/people.js';
import type { Person } from '../../requests/request.js';
import { newRequestId } from '../../requests/request-id.js';
import { personText, timeText } from '../cards/wording.js';
import { DELEGATE_USAGE } from '../parse-command.js';
import { text, type Reply } from '../reply.js';
import type { BotServices } from '../services.js';
import type { TurnInfo } from '../turn-info.js';

/** A member of the conversation by Teams id, as the roster knows them; null when not found. */
export type Roster = (teamsId: string) => Promise<Person | null>;

export async function delegateTo(services: BotServices, turn: TurnInfo, typed: { to: string; until: string }, roster: Roster): Promise<Reply> {
  const { config, clock, logger } = services.deps;
  if (!isApprover(allApprovers(config.bot.approvalPolicy), turn.person)) return text('Only approvers can delegate their approvals. Nothing changed.');
  const now = clock();
  const until = untilFrom(typed.until, now);
  if ('problem' in until) return text(`${until.problem} ${DELEGATE_USAGE}`);
  const found = await delegateOf(services, turn, typed.to, roster);
  if ('problem' in found) return text(`${found.problem} ${DELEGATE_USAGE}`);
  const draft = { id: `D-${newRequestId().slice(2)}`, from: turn.person, to: found.person, until: until.toISOString() };
  const change = await changeDelegations(services, (all) => addDelegation(all, draft, now));
  if (!change.ok) return text(`${change.reason} Nothing changed.`);
  const { delegation, replaced } = change;
  logger.info('delegation made', { delegationId: delegation.id });
  const ended = replaced ? ` Your delegation to ${personText(replaced.to)} ended.` : '';
  return {
    text: `${personText(delegation.to)} may decide requests in your place until ${timeText(delegation.until)} (delegation ${delegation.id}); the cards and the audit name you both.${ended} Say "withdraw delegation" to end it sooner.`,
    after: () => tellDelegate(services, delegation),
  };
}

export async function withdraw(services: BotServices, turn: TurnInfo): Promise<Reply> {
  const now = services.deps.clock();
  const change = await changeDelegations(services, (all) => withdrawDelegation(all, turn.person, now));
  if (!change.ok) return text(`${change.reason} Nothing changed.`);
  return text(`Your delegation to ${personText(change.delegation.to)} (${change.delegation.id}) is withdrawn: from now on only you decide in your place.`);
}

export async function listDelegations(services: BotServices, turn: TurnInfo): Promise<Reply> {
  const now = services.deps.clock();
  const all = delegationsOf((await services.deps.stores.settings.get()).delegations);
  const mine = activeFrom(all, turn.person, now);
  const forOthers = actingFor(all, turn.person, now);
  const lines = [
    mine ? `You delegated to ${personText(mine.to)} until ${timeText(mine.until)} (${mine.id}).` : 'You have no delegation running.',
    forOthers.length > 0 ? `You may decide in place of ${forOthers.map(personText).join(', ')}.` : 'Nobody has delegated to you.',
  ];
  const ended = all.filter((d) => !isActive(d, now) && (isSamePerson(d.from, turn.person) || isSamePerson(d.to, turn.person))).slice(-3);
  for (const d of ended) lines.push(`Ended: ${personText(d.from)} to ${personText(d.to)}, ${d.withdrawnAt ? `withdrawn ${timeText(d.withdrawnAt)}` : `until ${timeText(d.until)}`} (${d.id}).`);
  return text(lines.join('\n\n'));
}

async function changeDelegations(services: BotServices, change: (all: Delegation[]) => DelegationChange): Promise<DelegationChange> {
  let outcome: DelegationChange = { ok: false, reason: 'Nothing changed.' };
  await services.deps.stores.settings.change((current) => {
    outcome = change(delegationsOf(current.delegations));
    return outcome.ok ? { ...current, delegations: outcome.delegations } : current;
  });
  return outcome;
}

/** The person @mentioned (looked up in the roster for their object id), or an object id typed out. */
async function delegateOf(services: BotServices, turn: TurnInfo, typed: string, roster: Roster): Promise<{ person: Person } | { problem: string }> {
  const mentioned = turn.mentions[0];
  if (mentioned) {
    try {
      const member = await roster(mentioned.teamsId);
      if (member?.aadObjectId) return { person: { ...member, name: member.name || mentioned.name } };
    } catch (error) {
      services.deps.logger.warn('could not read a conversation member', { error: messageOf(error) });
    }
    return { problem: `I could not find ${mentioned.name || 'the person you mentioned'} in this conversation's members.` };
  }
  const id = typed.trim();
  if (isGuid(id)) {
    const chat = await services.deps.stores.settings.personalChat(id);
    return { person: { teamsId: chat?.teamsId ?? '', aadObjectId: id, name: chat?.name ?? '' } };
  }
  return { problem: id ? `"${id}" is neither an @mention nor an Entra object id.` : 'Say who: @mention them or give their Entra object id.' };
}

async function tellDelegate(services: BotServices, delegation: Delegation): Promise<void> {
  const chat = delegation.to.aadObjectId ? await services.deps.stores.settings.personalChat(delegation.to.aadObjectId) : null;
  if (!chat) return;
  const message = `${personText(delegation.from)} delegated their approvals to you until ${timeText(delegation.until)}: you may approve or reject in their place. Say "pending" to see what waits.`;
  await services.notifier.post(chat.conversation, { type: 'message', text: message }).catch((error: unknown) => {
    services.deps.logger.warn('could not tell the delegate', { delegationId: delegation.id, error: messageOf(error) });
  });
}
