/** The estate's people as Teams users: who asks, who approves, who looks on. */
import { ALICE, BOB, CAROL, DAVE } from './estate.js';
import { user } from './teams.js';

export const alice = user('Alice', ALICE);
export const bob = user('Bob', BOB);
export const carol = user('Carol', CAROL);
export const dave = user('Dave', DAVE);
