/**
 * Every kind of step the apply carries out, described once: what the approval card says it will do, what the audit
 * log says when ARM accepts its write, how it starts (read first, write only what is missing), how it resumes from
 * a stored poller (poll that operation, send nothing again), and the note it leaves in the request's progress.
 * `ApplyRun.runStep` is the one place that runs them.
 */
import type { ArmClients } from '../azure/arm-clients.js';
import { instanceOnTarget, resumeInstanceUpdate, updateInstanceNetwork, type NetworkTarget, type UpdateOutcome } from '../azure/instance-writes.js';
import type { UndoOutcome, WriteOptions } from '../azure/long-running.js';
import { addSecurityRule, createNsg, deleteCreatedNsg, removeSecurityRule, resumeNsgCreation, resumeNsgDeletion, resumeRuleDeletion, resumeSecurityRule, splitRuleId } from '../azure/nsg-writes.js';
import { registerWebProvider } from '../azure/provider-writes.js';
import { addServerFarmsDelegation, attachNsg, createSubnet, deleteCreatedSubnet, detachNsg, removeServerFarmsDelegation } from '../azure/subnet-writes.js';
import { resumeSubnetCreation, resumeSubnetDeletion, resumeSubnetUpdate, resumeSubnetWrite } from '../azure/subnet-writes.js';
import { ruleSpecText } from '../eligibility/dependency-allow-rules.js';
import type { PlannedFix } from '../eligibility/report.js';
import { NSG_DELETE_ACTION, NSG_RULE_DELETE_ACTION, SUBNET_DELETE_ACTION, SUBNET_WRITE_ACTION } from '../eligibility/permissions.js';
import { nameFromId, parseResourceId, securityRuleIdParts } from '../eligibility/resource-id.js';
import type { SecurityRuleSpec } from '../eligibility/security-rules.js';
import { subnetLabel } from '../requests/labels.js';
import type { ApplyStep, CreatedResource, IntegrationRequest, UndoStep } from '../requests/request.js';

/** What a finished step leaves: its note, whether it changed Azure (for undo), and what it created. */
export interface StepResult {
  note: string;
  changed: boolean;
  created?: Omit<CreatedResource, 'at'>;
}

/** One kind of step, over its input `I` and the outcome `O` of its write. */
interface StepKind<I, O> {
  /** The approval card's line (the instance update and a new subnet are worded by the request card itself). */
  card?(input: I): string;
  /** "ARM accepted the …" in the audit log. */
  audit: string;
  start(arm: ArmClients, input: I, options: WriteOptions): Promise<O>;
  resume(arm: ArmClients, input: I, pollerState: string, options: WriteOptions): Promise<O>;
  /** `begun`: a process that stopped had begun this step, so a write found done may be its own. */
  note(input: I, outcome: O, begun: boolean): StepResult;
}

/** A step ready to run: which it is, and its kind bound to its input. */
export interface PlannedStep {
  step: ApplyStep;
  /** Which one of a step that runs once per item (DoneStep.item). */
  item?: string;
  /** `begun`: a process that stopped had begun this very step. */
  run(arm: ArmClients, pollerState: string | null, options: WriteOptions, begun: boolean): Promise<StepResult>;
}

function planned<I, O>(step: ApplyStep, kind: StepKind<I, O>, input: I, item?: string): PlannedStep {
  return {
    step,
    ...(item === undefined ? {} : { item }),
    async run(arm, pollerState, options, begun) {
      const outcome = pollerState === null ? await kind.start(arm, input, options) : await kind.resume(arm, input, pollerState, options);
      return kind.note(input, outcome, begun);
    },
  };
}

/** A fix's outcome: 'already' found it done; anything else did it now. Found done in a step begun before a restart, the write sent then did it. */
function fixResult(outcome: string, done: string, already: string, begun: boolean, created?: StepResult['created']): StepResult {
  const changed = outcome !== 'already' || begun;
  const note = outcome !== 'already' ? done : begun ? `${already} (done by the write sent before a restart)` : already;
  return created ? { note, changed, created } : { note, changed };
}

type Fix<K extends PlannedFix['kind']> = Extract<PlannedFix, { kind: K }>;

function registerProviderLine(fix: Fix<'registerProvider'>): string {
  return `Register the ${fix.namespace} resource provider in subscription ${fix.subscriptionId}.`;
}

const registerProvider: StepKind<Fix<'registerProvider'>, 'already' | 'registered'> = {
  card: registerProviderLine,
  audit: 'registration of Microsoft.Web',
  start: (arm, fix, options) => registerWebProvider(arm, fix.subscriptionId, options),
  // Registration is no long-running operation: nothing is stored, so there is nothing to resume but to ask again.
  resume: (arm, fix, _poller, options) => registerWebProvider(arm, fix.subscriptionId, options),
  note: (fix, outcome, begun) => fixResult(outcome, `Registered Microsoft.Web in subscription ${fix.subscriptionId}.`, 'Microsoft.Web was already registered.', begun),
};

function addDelegationLine(fix: Fix<'addDelegation'>): string {
  return `Delegate subnet ${subnetLabel(fix.subnetId)} to ${fix.serviceName}.`;
}

const addDelegation: StepKind<Fix<'addDelegation'>, 'already' | 'added'> = {
  card: addDelegationLine,
  audit: 'subnet delegation (PUT subnet)',
  start: (arm, fix, options) => addServerFarmsDelegation(arm, fix.subnetId, options),
  resume: (arm, fix, poller, options) => resumeSubnetWrite(arm, fix.subnetId, poller, options, () => addServerFarmsDelegation(arm, fix.subnetId, options)),
  note: (fix, outcome, begun) =>
    fixResult(
      outcome,
      `Delegated subnet ${subnetLabel(fix.subnetId)} to Microsoft.Web/serverFarms.`,
      `Subnet ${subnetLabel(fix.subnetId)} was already delegated to Microsoft.Web/serverFarms.`,
      begun,
    ),
};

type NsgToCreate = Pick<Fix<'createNsg'>, 'nsgId' | 'name' | 'location' | 'rules'>;
const nsgSpec = (nsg: NsgToCreate) => ({ id: nsg.nsgId, location: nsg.location, securityRules: nsg.rules });

/** "Create network security group X in resource group RG (region) with the rule R: Outbound Allow TCP 443 from … to …, priority 100." */
export function createNsgLine(nsg: NsgToCreate): string {
  const rules = nsg.rules.map(
    (r) => `${r.name}: ${r.direction} ${r.access} ${r.protocol.toUpperCase()} ${r.destinationPortRange} from ${r.sourceAddressPrefix} to ${r.destinationAddressPrefix}, priority ${r.priority}`,
  );
  const group = parseResourceId(nsg.nsgId)?.resourceGroup ?? '';
  const what = rules.length === 0 ? 'no custom rules' : `the rule${rules.length === 1 ? '' : 's'} ${rules.join('; ')}`;
  return `Create network security group ${nsg.name} in resource group ${group} (${nsg.location}) with ${what}.`;
}

const createNsgStep: StepKind<NsgToCreate, 'already' | 'created'> = {
  card: createNsgLine,
  audit: 'creation of the network security group (PUT networkSecurityGroups)',
  start: (arm, nsg, options) => createNsg(arm, nsgSpec(nsg), options),
  resume: (arm, nsg, poller, options) => resumeNsgCreation(arm, nsgSpec(nsg), poller, options),
  note: (nsg, outcome) => {
    const rules = nsg.rules.length > 0 ? `with ${nsg.rules.map(ruleSpecText).join(', ')}` : 'with no custom rules';
    const note =
      outcome === 'already' ? `Network security group ${nsg.name} was already there ${rules} (created before a restart).` : `Created network security group ${nsg.name} ${rules}.`;
    // An NSG of this name with the bot's rules is this request's own: its name comes from the request.
    return { note, changed: true, created: { type: 'networkSecurityGroup', id: nsg.nsgId } };
  },
};

function attachNsgLine(fix: Fix<'attachNsg'>): string {
  return `Associate network security group ${nameFromId(fix.nsgId)} with subnet ${subnetLabel(fix.subnetId)}.`;
}

const attachNsgStep: StepKind<Fix<'attachNsg'>, 'already' | 'added'> = {
  card: attachNsgLine,
  audit: 'association of the network security group (PUT subnet)',
  start: (arm, fix, options) => attachNsg(arm, fix.subnetId, fix.nsgId, options),
  resume: (arm, fix, poller, options) => resumeSubnetWrite(arm, fix.subnetId, poller, options, () => attachNsg(arm, fix.subnetId, fix.nsgId, options)),
  note: (fix, outcome, begun) => {
    const what = `network security group ${nameFromId(fix.nsgId)}`;
    return fixResult(outcome, `Associated ${what} with subnet ${subnetLabel(fix.subnetId)}.`, `Subnet ${subnetLabel(fix.subnetId)} already had ${what}.`, begun);
  },
};

interface RuleToAdd {
  nsgId: string;
  rule: SecurityRuleSpec;
}

const addDependencyRule: StepKind<RuleToAdd, 'already' | 'added'> = {
  card: ({ nsgId, rule }) => `Add ${ruleSpecText(rule)} to network security group ${nameFromId(nsgId)}.`,
  audit: 'addition of a dependency rule (PUT securityRules)',
  start: (arm, { nsgId, rule }, options) => addSecurityRule(arm, nsgId, rule, options),
  resume: (arm, { nsgId, rule }, poller, options) => resumeSecurityRule(arm, nsgId, rule, poller, options),
  note: ({ nsgId, rule }, outcome, begun) => {
    const what = `${ruleSpecText(rule)} of network security group ${nameFromId(nsgId)}`;
    if (outcome === 'added') return { note: `Added ${what}.`, changed: true };
    return begun ? { note: `Added ${what} (by the write sent before a restart).`, changed: true } : { note: `The ${what} was already there.`, changed: false };
  },
};

/** The subnet of a newSubnet request, as the re-check settled it. */
export interface SubnetToCreate {
  subnetId: string;
  addressPrefix: string;
  nsgId: string;
  vnetName: string;
  name: string;
  delegation: string;
}

const createSubnetStep: StepKind<SubnetToCreate, 'already' | 'created'> = {
  audit: 'creation of the subnet (PUT subnet)',
  start: (arm, s, options) => createSubnet(arm, s, options),
  resume: (arm, s, poller, options) => resumeSubnetCreation(arm, s, poller, options),
  note: (s, outcome) => {
    const what = `subnet ${s.vnetName}/${s.name} (${s.addressPrefix}, delegated to ${s.delegation}, network security group ${nameFromId(s.nsgId)})`;
    const note = outcome === 'already' ? `The ${what} was already there (created before a restart).` : `Created ${what}.`;
    return { note, changed: true, created: { type: 'subnet', id: s.subnetId } };
  },
};

/** Where the instance's network goes: the request's subnet (for newSubnet, the one the re-check settled on), or out. */
export function targetOf(request: IntegrationRequest): NetworkTarget {
  const subnetId = request.kind === 'newSubnet' ? (request.apply?.proposal?.subnetId ?? request.subnetId) : request.subnetId;
  return request.kind !== 'disconnect' && subnetId ? { type: 'External', subnetId } : { type: 'None' };
}

export function updateNote(request: IntegrationRequest, outcome: UpdateOutcome): string {
  const target = targetOf(request);
  const what = target.type === 'External' ? `integrated with ${subnetLabel(target.subnetId)}` : 'out of its virtual network';
  if (outcome === 'already') return `${request.instance.name} was already ${what}.`;
  if (outcome === 'watched') return `${request.instance.name} is now ${what} (an update already in progress finished; nothing was sent twice).`;
  if (outcome === 'resumed') return `${request.instance.name} is now ${what} (the update sent before a restart finished; nothing was sent twice).`;
  return `${request.instance.name} is now ${what}.`;
}

const updateInstance: StepKind<IntegrationRequest, UpdateOutcome> = {
  audit: 'instance update (PATCH service)',
  start: async (arm, request, options) => (await updateInstanceNetwork(arm, request.instance.id, targetOf(request), options)).outcome,
  resume: async (arm, request, poller, options) => (await resumeInstanceUpdate(arm, request.instance.id, targetOf(request), poller, options)).outcome,
  note: (request, outcome) => ({ note: updateNote(request, outcome), changed: outcome === 'updated' || outcome === 'resumed' }),
};

/** Is the instance where the request puts it, with nothing running? Sends nothing (judging a request past its deadline). */
export function onTarget(arm: ArmClients, request: IntegrationRequest) {
  return instanceOnTarget(arm, request.instance.id, targetOf(request));
}

/** One thing a disconnect removes (see undo.ts): the resource, and the instance that must have left it first. */
export interface UndoTarget {
  id: string;
  instanceId: string;
  fromRequestId: string;
  /** detachNsg: the NSG the bot associated; removeDependencyRule: the subnet the rule was added for. */
  nsgId?: string;
  subnetId?: string | null;
  /** Progress wording: "subnet hub-vnet/apim-new". */
  what: string;
}

/** What the approval card needs to word an undo step. */
type UndoCardTarget = Pick<UndoTarget, 'id' | 'fromRequestId' | 'nsgId'>;

type UndoKind = StepKind<UndoTarget, UndoOutcome> & {
  card(target: UndoCardTarget): string;
  /** The action the bot's identity needs on the step's resource (`UndoTarget.id`); without it the undo keeps that part. */
  action: string;
  /** Who made the part and for which request: "created by the bot for R-7K3QM". */
  origin(target: UndoCardTarget): string;
};

/** Undo outcomes: a stored delete that ARM forgot is judged again from the resource as it is now. */
function undoKind(
  audit: string,
  action: string,
  origin: (t: UndoCardTarget) => string,
  card: (t: UndoCardTarget) => string,
  start: (arm: ArmClients, t: UndoTarget, options: WriteOptions) => Promise<UndoOutcome>,
  resume: (arm: ArmClients, t: UndoTarget, pollerState: string, options: WriteOptions) => Promise<boolean>,
): UndoKind {
  return {
    card,
    action,
    origin,
    audit,
    start,
    resume: async (arm, t, poller, options) => ((await resume(arm, t, poller, options)) ? 'deleted' : start(arm, t, options)),
    note: (t, outcome) => {
      const by = `made by the bot for ${t.fromRequestId}`;
      if (outcome === 'deleted') return { note: `Removed ${t.what} (${by}).`, changed: true };
      if (outcome === 'gone') return { note: `${capitalize(t.what)} (${by}) was already gone.`, changed: false };
      return { note: `Left ${t.what} (${by}) in place: ${outcome.kept}.`, changed: false };
    },
  };
}

const created = (t: UndoCardTarget) => `created by the bot for ${t.fromRequestId}`;
const added = (t: UndoCardTarget) => `added by the bot for ${t.fromRequestId}`;
const associated = (t: UndoCardTarget) => `associated by the bot for ${t.fromRequestId}`;

const UNDO_KINDS: Record<UndoStep, UndoKind> = {
  deleteSubnet: undoKind(
    'deletion of the subnet the bot created (DELETE subnet)',
    SUBNET_DELETE_ACTION,
    created,
    (t) => `Delete subnet ${subnetLabel(t.id)} (${created(t)}), once the instance no longer uses it.`,
    (arm, t, options) => deleteCreatedSubnet(arm, t.id, t.instanceId, options),
    (arm, t, poller, options) => resumeSubnetDeletion(arm, t.id, poller, options),
  ),
  removeDelegation: undoKind(
    'removal of the delegation the bot added (PUT subnet)',
    SUBNET_WRITE_ACTION,
    added,
    (t) => `Remove the delegation to Microsoft.Web/serverFarms from subnet ${subnetLabel(t.id)} (${added(t)}), once the instance no longer uses it.`,
    (arm, t, options) => removeServerFarmsDelegation(arm, t.id, t.instanceId, options),
    (arm, t, poller, options) => resumeSubnetUpdate(arm, t.id, poller, options),
  ),
  detachNsg: undoKind(
    'removal of the network security group association the bot made (PUT subnet)',
    SUBNET_WRITE_ACTION,
    associated,
    (t) => `Remove network security group ${nameFromId(t.nsgId)} from subnet ${subnetLabel(t.id)} (${associated(t)}).`,
    (arm, t, options) => (t.nsgId ? detachNsg(arm, t.id, t.nsgId, options) : Promise.resolve('gone')),
    (arm, t, poller, options) => resumeSubnetUpdate(arm, t.id, poller, options),
  ),
  deleteNsg: undoKind(
    'deletion of the network security group the bot created (DELETE networkSecurityGroups)',
    NSG_DELETE_ACTION,
    created,
    (t) => `Delete network security group ${nameFromId(t.id)} (${created(t)}).`,
    (arm, t, options) => deleteCreatedNsg(arm, t.id, options),
    (arm, t, poller, options) => resumeNsgDeletion(arm, t.id, poller, options),
  ),
  removeDependencyRule: undoKind(
    'removal of a dependency rule the bot added (DELETE securityRules)',
    NSG_RULE_DELETE_ACTION,
    added,
    (t) => {
      const parts = securityRuleIdParts(t.id);
      return `Delete rule ${parts?.ruleName ?? t.id} from network security group ${nameFromId(parts?.nsgId)} (${added(t)}), unless the NSG serves other subnets by then.`;
    },
    (arm, t, options) => {
      const [nsgId, ruleName] = splitRuleId(t.id);
      return removeSecurityRule(arm, nsgId, ruleName, t.subnetId ?? null, options);
    },
    (arm, t, poller, options) => resumeRuleDeletion(arm, t.id, poller, options),
  ),
};

// ------------------------------------------------------------------------------------------- the plans

/** The steps of one planned fix, in order: a rules fix writes one rule per step, by the rule's name. */
export function fixSteps(fix: PlannedFix): PlannedStep[] {
  switch (fix.kind) {
    case 'registerProvider':
      return [planned(fix.kind, registerProvider, fix)];
    case 'addDelegation':
      return [planned(fix.kind, addDelegation, fix)];
    case 'createNsg':
      return [planned(fix.kind, createNsgStep, fix)];
    case 'attachNsg':
      return [planned(fix.kind, attachNsgStep, fix)];
    case 'addDependencyRules':
      return fix.rules.map((rule) => planned(fix.kind, addDependencyRule, { nsgId: fix.nsgId, rule }, rule.name));
  }
}

/** The approval card's line for a planned fix. */
export function fixLine(fix: PlannedFix): string {
  switch (fix.kind) {
    case 'registerProvider':
      return registerProviderLine(fix);
    case 'addDelegation':
      return addDelegationLine(fix);
    case 'createNsg':
      return createNsgLine(fix);
    case 'attachNsg':
      return attachNsgLine(fix);
    case 'addDependencyRules':
      return `Add ${fix.rules.map(ruleSpecText).join(' and ')} to network security group ${nameFromId(fix.nsgId)}.`;
  }
}

export function createNsgStepOf(nsg: NsgToCreate): PlannedStep {
  return planned('createNsg', createNsgStep, nsg);
}

export function createSubnetStepOf(subnet: SubnetToCreate): PlannedStep {
  return planned('createSubnet', createSubnetStep, subnet);
}

export function updateInstanceStepOf(request: IntegrationRequest): PlannedStep {
  return planned('updateInstance', updateInstance, request);
}

export function undoStepOf(step: UndoStep, target: UndoTarget, item?: string): PlannedStep {
  return planned(step, UNDO_KINDS[step], target, item);
}

export function undoLine(step: UndoStep, target: UndoCardTarget): string {
  return UNDO_KINDS[step].card(target);
}

/** The action the bot's identity needs to carry out an undo step on its resource. */
export function undoAction(step: UndoStep): string {
  return UNDO_KINDS[step].action;
}

/** A part the undo leaves in place (`reason`: why), for the approval card: "Leave subnet … (created by the bot for …) in place: …". */
export function keptLine(step: UndoStep, target: UndoCardTarget & Pick<UndoTarget, 'what'>, reason: string): string {
  return `Leave ${target.what} (${UNDO_KINDS[step].origin(target)}) in place: ${reason}.`;
}

/** The progress note of a part left in place, worded as a part the undo finds it must keep. */
export function keptNote(step: UndoStep, target: UndoTarget, reason: string): StepResult {
  return UNDO_KINDS[step].note(target, { kept: reason }, false);
}

const AUDIT_TEXT: Record<ApplyStep, string> = {
  recheck: 're-check',
  registerProvider: registerProvider.audit,
  addDelegation: addDelegation.audit,
  createNsg: createNsgStep.audit,
  attachNsg: attachNsgStep.audit,
  addDependencyRules: addDependencyRule.audit,
  createSubnet: createSubnetStep.audit,
  updateInstance: updateInstance.audit,
  ...(Object.fromEntries(Object.entries(UNDO_KINDS).map(([step, kind]) => [step, kind.audit])) as Record<UndoStep, string>),
  done: 'write',
};

/** "ARM accepted the …": the audit wording of a step's write. */
export function auditText(step: ApplyStep): string {
  return AUDIT_TEXT[step];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
