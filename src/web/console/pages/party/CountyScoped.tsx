import { Alert, Empty, Select, Space, Spin, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { type Me, regionChildren, regionDetail } from '../../../api/index.ts';
import { useMe } from '../../../ui/session.tsx';
import { useLoad } from '../../../ui/useLoad.ts';

/** Party-work roles (server: party/policy.ts PARTY_ROLES): they read their county's settings. */
const PARTY_ROLES = ['compoundSecretary', 'communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'];

interface County {
  code: string;
  name: string;
}

/**
 * The counties whose settings the viewer works with: the county each party-work grant lies in, or
 * every county of the city for a city-wide grant. Scope paths run city.county.township.community.
 */
async function partyCounties(me: Me): Promise<County[]> {
  const codes = new Set<string>();
  const cities = new Set<string>();
  for (const g of me.grants) {
    if (!PARTY_ROLES.includes(g.role)) continue;
    const [city, county] = g.scopePath.split('.');
    if (county && /^\d{6}$/.test(county)) codes.add(county);
    else if (city) cities.add(city);
  }
  const out = new Map<string, string>();
  for (const city of cities)
    for (const r of await regionChildren(city)) if (r.level === 'county') out.set(r.code, r.name);
  await Promise.all(
    [...codes].filter((c) => !out.has(c)).map(async (c) => out.set(c, (await regionDetail(c)).name)),
  );
  return [...out].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * A county-level setting (five-colour scheme, earning rules): the county picked among the
 * viewer's (named alone when there is one), and its editor, keyed by county.
 */
export function CountyScoped({
  label,
  testid,
  children,
}: {
  label: string;
  testid: string;
  children: (county: string) => ReactNode;
}) {
  const me = useMe();
  const counties = useLoad(() => partyCounties(me), [me.id]);
  const [picked, setPicked] = useState<string>();
  const county = picked ?? counties.data?.[0]?.code;
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Typography.Text>{label}</Typography.Text>
        {counties.loading ? (
          <Spin size="small" />
        ) : (counties.data?.length ?? 0) > 1 ? (
          <Select
            data-testid={testid}
            aria-label={label}
            value={county}
            onChange={setPicked}
            style={{ width: 200 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={(counties.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
        ) : (
          <Typography.Text strong data-testid={testid}>
            {counties.data?.[0]?.name}
          </Typography.Text>
        )}
      </Space>
      {counties.error && <Alert type="error" showIcon title={counties.error} />}
      {!counties.loading && !county && !counties.error && <Empty />}
      {county && children(county)}
    </>
  );
}
