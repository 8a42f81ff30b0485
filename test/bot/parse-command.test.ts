import { describe, expect, it } from 'vitest';
import { cleanText, parseCommand, parseTarget } from '../../src/bot/parse-command.js';

const SUBNET_ID = '/subscriptions/5b6f0c55-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub-vnet/subnets/apim-outbound';
const INSTANCE_ID = '/subscriptions/5b6f0c55-0000-4000-8000-000000000001/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/contoso-apim';

describe('cleanText', () => {
  it('strips @mentions with their text, markup and entities', () => {
    expect(cleanText('<at>APIM VNet Bot</at> check&nbsp;contoso-apim')).toBe('check contoso-apim');
    expect(cleanText('<p><at>Bot</at>&nbsp;status <b>R-7K3QM</b></p>')).toBe('status R-7K3QM');
    expect(cleanText('  check\n\tcontoso-apim  ')).toBe('check contoso-apim');
    expect(cleanText('a &amp; b &lt;c&gt;')).toBe('a & b <c>');
  });
});

describe('parseCommand: check', () => {
  it.each([
    ['check contoso-apim', 'contoso-apim'],
    ['CHECK contoso-apim', 'contoso-apim'],
    ['Check Contoso-APIM?', 'Contoso-APIM'],
    ['<at>APIM VNet Bot</at> check contoso-apim', 'contoso-apim'],
    ['please check contoso-apim', 'contoso-apim'],
    ['can you check contoso-apim please', 'contoso-apim'],
    ['check the instance contoso-apim', 'contoso-apim'],
    ['check eligibility of contoso-apim', 'contoso-apim'],
    ['check eligibility for contoso-apim', 'contoso-apim'],
    ['verify contoso-apim', 'contoso-apim'],
    ['is contoso-apim eligible?', 'contoso-apim'],
    ['is contoso-apim ready for vnet integration', 'contoso-apim'],
    ['can I integrate contoso-apim', 'contoso-apim'],
    ['check `contoso-apim`', 'contoso-apim'],
    ['check "contoso-apim"', 'contoso-apim'],
    [`check ${INSTANCE_ID}`, INSTANCE_ID],
  ])('%s', (text, instance) => {
    expect(parseCommand(text)).toEqual({ kind: 'check', instance, target: null });
  });

  it('narrows to a VNet or a subnet', () => {
    expect(parseCommand('check contoso-apim in hub-vnet')).toEqual({ kind: 'check', instance: 'contoso-apim', target: { kind: 'vnet', vnet: 'hub-vnet' } });
    expect(parseCommand('check contoso-apim in vnet hub-vnet')).toEqual({ kind: 'check', instance: 'contoso-apim', target: { kind: 'vnet', vnet: 'hub-vnet' } });
    expect(parseCommand('check contoso-apim in hub-vnet/apim-outbound')).toEqual({
      kind: 'check',
      instance: 'contoso-apim',
      target: { kind: 'name', vnet: 'hub-vnet', subnet: 'apim-outbound' },
    });
  });

  it('asks for the instance when it is missing', () => {
    const command = parseCommand('check');
    expect(command.kind).toBe('help');
    expect(command.kind === 'help' && command.problem).toMatch(/Name the API Management instance/);
  });
});

describe('parseCommand: integrate', () => {
  it.each([
    ['integrate contoso-apim', null],
    ['connect contoso-apim', null],
    ['Integrate contoso-apim.', null],
    ['enable vnet integration for contoso-apim', null],
    ['enable integration on contoso-apim', null],
    ['please connect contoso-apim', null],
  ])('%s without a subnet', (text, target) => {
    expect(parseCommand(text)).toEqual({ kind: 'integrate', instance: 'contoso-apim', target });
  });

  it.each([
    'connect contoso-apim to hub-vnet/apim-outbound',
    'integrate contoso-apim with hub-vnet/apim-outbound',
    'integrate contoso-apim into hub-vnet/apim-outbound',
    'connect contoso-apim to the subnet hub-vnet/apim-outbound',
    'connect contoso-apim to subnet apim-outbound in vnet hub-vnet',
    'connect contoso-apim to apim-outbound in hub-vnet',
    'connect contoso-apim to vnet hub-vnet subnet apim-outbound',
    'Connect contoso-apim TO hub-vnet/apim-outbound please',
    'connect contoso-apim hub-vnet/apim-outbound',
  ])('%s', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'integrate', instance: 'contoso-apim', target: { kind: 'name', vnet: 'hub-vnet', subnet: 'apim-outbound' } });
  });

  it('takes a subnet resource id', () => {
    expect(parseCommand(`connect contoso-apim to ${SUBNET_ID}`)).toEqual({ kind: 'integrate', instance: 'contoso-apim', target: { kind: 'id', id: SUBNET_ID } });
    expect(parseCommand(`integrate ${INSTANCE_ID} with ${SUBNET_ID}/`)).toEqual({ kind: 'integrate', instance: INSTANCE_ID, target: { kind: 'id', id: SUBNET_ID } });
  });

  it('takes a VNet alone as a narrowing', () => {
    expect(parseCommand('integrate contoso-apim in hub-vnet')).toEqual({ kind: 'integrate', instance: 'contoso-apim', target: { kind: 'vnet', vnet: 'hub-vnet' } });
  });

  it('explains what it could not read', () => {
    const notSubnet = parseCommand('connect contoso-apim to /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v');
    expect(notSubnet).toMatchObject({ kind: 'help', problem: expect.stringContaining('not a subnet resource id') });
    expect(parseCommand('connect contoso-apim to a/b/c')).toMatchObject({ kind: 'help', problem: expect.stringContaining('a/b/c') });
    expect(parseCommand('connect')).toMatchObject({ kind: 'help', problem: expect.stringContaining('Name the API Management instance') });
  });
});

describe('parseCommand: the other commands', () => {
  it.each([
    ['disconnect contoso-apim', { kind: 'disconnect', instance: 'contoso-apim' }],
    ['Disconnect contoso-apim from its vnet', { kind: 'disconnect', instance: 'contoso-apim' }],
    ['detach contoso-apim', { kind: 'disconnect', instance: 'contoso-apim' }],
    ['disable vnet integration for contoso-apim', { kind: 'disconnect', instance: 'contoso-apim' }],
    ['remove integration from contoso-apim', { kind: 'disconnect', instance: 'contoso-apim' }],
    ['status', { kind: 'status', target: null }],
    ['status contoso-apim', { kind: 'status', target: 'contoso-apim' }],
    ['Status of contoso-apim?', { kind: 'status', target: 'contoso-apim' }],
    ["what's the status of contoso-apim", { kind: 'status', target: 'contoso-apim' }],
    ['what is the status of request R-7K3QM', { kind: 'status', target: 'R-7K3QM' }],
    ['show status R-7K3QM', { kind: 'status', target: 'R-7K3QM' }],
    ['requests', { kind: 'requests' }],
    ['who approves?', { kind: 'whoApproves', instance: null }],
    ['Who approves requests here?', { kind: 'whoApproves', instance: null }],
    ['who are the approvers', { kind: 'whoApproves', instance: null }],
    ['who approves contoso-apim', { kind: 'whoApproves', instance: 'contoso-apim' }],
    ['who can approve for the instance payments-apim?', { kind: 'whoApproves', instance: 'payments-apim' }],
    ["who's the approver of contoso-apim", { kind: 'whoApproves', instance: 'contoso-apim' }],
    ['approvers for contoso-apim', { kind: 'whoApproves', instance: 'contoso-apim' }],
    ['open requests', { kind: 'requests' }],
    ['list pending requests', { kind: 'requests' }],
    ['show my requests', { kind: 'myRequests', page: 1 }],
    ['my requests page 2', { kind: 'myRequests', page: 2 }],
    ['pending', { kind: 'pending', page: 1 }],
    ['My approvals', { kind: 'pending', page: 1 }],
    ['what waits for me?', { kind: 'pending', page: 1 }],
    ['pending page 3', { kind: 'pending', page: 3 }],
    ['delegate to <at>Dave</at> until 2026-12-24', { kind: 'delegate', to: '', until: '2026-12-24' }],
    ['please delegate my approvals to 0e0e0e0e-0000-4000-8000-000000000005 for 5 days', { kind: 'delegate', to: '0e0e0e0e-0000-4000-8000-000000000005', until: 'for 5 days' }],
    ['delegate to <at>Dave</at> till 2026-12-24 18:00', { kind: 'delegate', to: '', until: '2026-12-24 18:00' }],
    ['delegations', { kind: 'delegations' }],
    ['show my delegations', { kind: 'delegations' }],
    ['withdraw delegation', { kind: 'withdrawDelegation' }],
    ['end my delegation', { kind: 'withdrawDelegation' }],
    ['stop delegating', { kind: 'withdrawDelegation' }],
    ['list pending approvals', { kind: 'pending', page: 1 }],
    ['cancel R-7K3QM', { kind: 'cancel', requestId: 'R-7K3QM' }],
    ['cancel request r-7k3qm', { kind: 'cancel', requestId: 'R-7K3QM' }],
    ['Cancel r7k3qm', { kind: 'cancel', requestId: 'R-7K3QM' }],
    ['withdraw R-7K3QM please', { kind: 'cancel', requestId: 'R-7K3QM' }],
    ['retry R-7K3QM', { kind: 'retry', requestId: 'R-7K3QM' }],
    ['Retry request r-7k3qm', { kind: 'retry', requestId: 'R-7K3QM' }],
    ['try again r7k3qm', { kind: 'retry', requestId: 'R-7K3QM' }],
    ['rerun my R-7K3QM', { kind: 'retry', requestId: 'R-7K3QM' }],
    ['approvals here', { kind: 'approvalsHere' }],
    ['Approvals here!', { kind: 'approvalsHere' }],
    ['set approvals channel', { kind: 'approvalsHere' }],
    ['use this channel for approvals', { kind: 'approvalsHere' }],
    ['send approvals here', { kind: 'approvalsHere' }],
    ['help', { kind: 'help', problem: null }],
    ['Help!', { kind: 'help', problem: null }],
    ['?', { kind: 'help', problem: null }],
    ['hi', { kind: 'help', problem: null }],
    ['what can you do?', { kind: 'help', problem: null }],
    ['', { kind: 'help', problem: null }],
    ['<at>APIM VNet Bot</at>', { kind: 'help', problem: null }],
  ])('%s', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it('refuses a cancel without a request id', () => {
    expect(parseCommand('retry')).toMatchObject({ kind: 'help', problem: expect.stringContaining('retry <request id>') });
    expect(parseCommand('retry soon')).toMatchObject({ kind: 'help', problem: expect.stringContaining('"soon" is not a request id') });
    expect(parseCommand('cancel')).toMatchObject({ kind: 'help', problem: expect.stringContaining('cancel <request id>') });
    expect(parseCommand('cancel contoso-apim')).toMatchObject({ kind: 'help', problem: expect.stringContaining('not a request id') });
  });

  it('turns anything else into help with the text quoted', () => {
    expect(parseCommand('make me a sandwich')).toEqual({ kind: 'help', problem: 'I did not understand "make me a sandwich".' });
    expect(parseCommand(null)).toEqual({ kind: 'help', problem: null });
    const long = parseCommand('x'.repeat(300));
    expect(long.kind === 'help' && long.problem!.length).toBeLessThan(120);
  });

  it('a delegation without its end asks for it', () => {
    expect(parseCommand('delegate to <at>Dave</at>')).toEqual({ kind: 'help', problem: expect.stringMatching(/^Say until when: `delegate to @person until <date>`/) });
    expect(parseCommand('delegate to <at>Dave</at> until')).toMatchObject({ kind: 'help' });
  });

  it('does not treat longer words as commands', () => {
    expect(parseCommand('checkout contoso-apim').kind).toBe('help');
    expect(parseCommand('statuses').kind).toBe('help');
  });
});

describe('parseTarget', () => {
  it('reads every way of naming a subnet', () => {
    expect(parseTarget(['hub-vnet/apim-outbound'])).toEqual({ kind: 'name', vnet: 'hub-vnet', subnet: 'apim-outbound' });
    expect(parseTarget(['subnet', 'apim-outbound', 'in', 'hub-vnet'])).toEqual({ kind: 'name', vnet: 'hub-vnet', subnet: 'apim-outbound' });
    expect(parseTarget(['apim-outbound', 'of', 'vnet', 'hub-vnet'])).toEqual({ kind: 'name', vnet: 'hub-vnet', subnet: 'apim-outbound' });
    expect(parseTarget(['vnet', 'hub-vnet'])).toEqual({ kind: 'vnet', vnet: 'hub-vnet' });
    expect(parseTarget([SUBNET_ID])).toEqual({ kind: 'id', id: SUBNET_ID });
    expect(parseTarget([])).toMatchObject({ problem: expect.any(String) });
    expect(parseTarget(['one', 'two', 'three', 'four', 'five'])).toMatchObject({ problem: expect.any(String) });
  });
});
