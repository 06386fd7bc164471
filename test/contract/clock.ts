/**
 * A clock for the contract suites that never returns the same millisecond
 * twice: rows stamped one after another (three reactions in a row) are
 * then ordered as they were made, as they are in use, where people do not
 * act within one millisecond. With Date.now they could tie and the order
 * the stores promise ("by first use") would be the database's choice.
 */
export function strictlyIncreasingClock(): () => number {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return last;
  };
}
