/** The load-average line: the load at the end and the cores this machine really has. */
export function loadLine(loadavg?: number[], cores?: number): string;
