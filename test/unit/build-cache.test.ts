import { describe, expect, it } from 'vitest';
import { ownRecords, parseDiskUsage } from '../../scripts/build-cache.mjs';

// `docker buildx du --verbose` as each buildx generation writes it (trimmed).
const BUILDX_013 = `ID:		a1
Parent:		base0
Created at:	2026-12-01 22:49:03 +0000 UTC
Description:	mount / from exec /bin/sh -c echo marker-1 > /m
Usage count:	1

ID:		a2
Parent:		a1
Description:	mount / from exec /bin/sh -c touch /x

ID:		other
Description:	mount / from exec /bin/sh -c echo someone-else
`;

const BUILDX_029 = `ID:           a1
Parents:
 - base0
Created at:   2026-12-01 22:49:03.796623934 +0000 UTC
Mutable:      false
Description:  mount / from exec /bin/sh -c echo marker-1 > /m
Usage count:  1

ID:           a2
Parents:
 - zz
 - a1
Description:  mount / from exec /bin/sh -c touch /x

ID:           a3
Parents:
 - a2
Description:  local source for context

ID:           other
Description:  mount / from exec /bin/sh -c echo someone-else
`;

describe('build-cache records (the e2e fresh runner and the bench)', () => {
  it.each([
    ['buildx 0.13 (Parent:)', BUILDX_013, ['a1', 'a2']],
    ['buildx 0.29 (Parents: list)', BUILDX_029, ['a1', 'a2', 'a3']],
  ])('finds a marked record and every record built on it: %s', (_name, du, want) => {
    expect(ownRecords(du, 'marker-1')).toEqual(want);
  });

  it('reads every parent of a record with several', () => {
    expect(parseDiskUsage(BUILDX_029).find((r) => r.id === 'a2')?.parents).toEqual(['zz', 'a1']);
  });

  it('finds nothing for a marker no step used', () => {
    expect(ownRecords(BUILDX_029, 'marker-2')).toEqual([]);
  });
});
