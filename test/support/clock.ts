/** A clock the test moves: the bot reads it for expiry, reminders, leases and deadlines. */
export class FakeClock {
  private time: number;

  constructor(start: string | Date = '2024-05-01T09:00:00.000Z') {
    this.time = new Date(start).getTime();
  }

  readonly now = (): Date => new Date(this.time);

  advanceHours(hours: number): void {
    this.time += hours * 3_600_000;
  }

  advanceMinutes(minutes: number): void {
    this.time += minutes * 60_000;
  }
}
