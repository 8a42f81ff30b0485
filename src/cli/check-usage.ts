/** What `check` takes, for its own errors and the CLI's help (which must not load the check to print it). */
export const CHECK_USAGE = `Usage: apim-vnet-bot check <instance name | resource id> [--subnet <subnet resource id>] [--as <requester object id>] [--new-subnet] [--seed <file>] [--json]

When no subnet fits (or with --new-subnet) the report proposes a subnet for the bot to create.

Exit codes: 0 a subnet is eligible or fixable; 1 none is; 2 bad input, unknown instance or subnet; 3 ARM could not be read.`;
