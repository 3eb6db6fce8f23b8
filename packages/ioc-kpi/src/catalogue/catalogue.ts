import catalogueJson from '../data/vn-smart-city-2025.catalogue.json';
import bacGiangJson from '../data/bac-giang-2025.profile.json';
import healthExampleJson from '../data/example-health-sector.profile.json';
import { KpiError } from '../errors.js';
import { KpiSchemas, type ValidationIssue } from '../schema.js';
import { periodRange } from '../observations/period.js';
import type {
  Catalogue,
  Group,
  Indicator,
  IndicatorAlias,
  Layer,
  LocalizedText,
  Profile,
  ProfileTarget,
  Subgroup,
} from './types.js';

/**
 * The national smart-city KPI framework (3098/BTTTT-KHCN) with the 36 indicators that Bắc Giang's
 * plan selects (Bảng 4), grouped by Bảng 3; Bảng 3's different wording kept as aliases.
 */
export const VN_SMART_CITY_2025 = catalogueJson as unknown as Catalogue;

/** Bắc Giang's 2025 profile: current value, 2020 value and 2025 target of every row of Bảng 4. */
export const BAC_GIANG_2025 = bacGiangJson as unknown as Profile;

/** An illustrative health-sector profile (not from an official document) adding sector indicators. */
export const HEALTH_SECTOR_EXAMPLE = healthExampleJson as unknown as Profile;

/** An indicator of a resolved profile, with its place in the tree and its target. */
export interface ResolvedIndicator extends Indicator {
  readonly layer: string;
  readonly group: string;
  readonly subgroup: string;
  /** `catalogue` or the id of the profile that added it. */
  readonly origin: string;
  /** Id of the alias the profile selected, when it did. */
  readonly alias?: string;
  readonly target?: ProfileTarget;
}

export interface TreeNode {
  readonly level: 'layer' | 'group' | 'subgroup';
  readonly code: string;
  readonly name: LocalizedText;
  readonly parent?: string;
  /** Child nodes' codes (layers and groups) or indicator codes (subgroups). */
  readonly children: readonly string[];
}

/** A profile applied to its catalogue: every indicator with its target, and the tree to roll up by. */
export interface ResolvedProfile {
  readonly profile: Profile;
  readonly catalogue: Catalogue;
  /** Every indicator, in catalogue order then the profile's additions. */
  readonly indicators: ReadonlyMap<string, ResolvedIndicator>;
  /** Layers, groups and subgroups by code. */
  readonly nodes: ReadonlyMap<string, TreeNode>;
  /** Layer codes in order. */
  readonly layers: readonly string[];
  /** The shared compiled schemas. */
  readonly schemas: KpiSchemas;
}

export interface ResolveOptions {
  /** Base catalogue; defaults to {@link VN_SMART_CITY_2025} when the profile names it. */
  readonly catalogue?: Catalogue;
  /** Profiles a profile may `extends`, by id (the built-in ones are always available). */
  readonly profiles?: readonly Profile[];
  /** Compiled schemas to reuse. */
  readonly schemas?: KpiSchemas;
}

function fail(code: 'CATALOGUE_INVALID' | 'PROFILE_INVALID', what: string, issues: ValidationIssue[]): never {
  const first = issues
    .slice(0, 3)
    .map((i) => `${i.path || '/'}: ${i.message.en}`)
    .join('; ');
  throw new KpiError(
    code,
    `${what} is invalid: ${first}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`,
    {
      details: { issues },
    },
  );
}

function issue(path: string, vi: string, en: string): ValidationIssue {
  return { code: 'PROFILE', path, message: { vi, en } };
}

/** Checks a catalogue against its schema and its own rules (unique codes, codes under their parents). */
export function validateCatalogue(value: unknown, schemas: KpiSchemas = new KpiSchemas()): Catalogue {
  const issues = schemas.check('catalogue', value);
  if (issues.length > 0) fail('CATALOGUE_INVALID', 'catalogue', issues);
  const cat = value as Catalogue;
  const seen = new Set<string>();
  const own: ValidationIssue[] = [];
  cat.layers.forEach((l, li) => {
    const check = (code: string, path: string, parent?: string) => {
      if (seen.has(code)) own.push(issue(path, `mã "${code}" bị trùng`, `code "${code}" is used twice`));
      seen.add(code);
      if (parent !== undefined && !code.startsWith(parent + '.'))
        own.push(
          issue(path, `mã "${code}" không nằm dưới "${parent}"`, `code "${code}" is not under "${parent}"`),
        );
    };
    check(l.code, `/layers/${li}/code`);
    l.groups.forEach((g, gi) => {
      check(g.code, `/layers/${li}/groups/${gi}/code`, l.code);
      g.subgroups.forEach((s, si) => {
        check(s.code, `/layers/${li}/groups/${gi}/subgroups/${si}/code`, g.code);
        s.indicators.forEach((ind, ii) =>
          check(ind.code, `/layers/${li}/groups/${gi}/subgroups/${si}/indicators/${ii}/code`, s.code),
        );
      });
    });
  });
  if (own.length > 0) fail('CATALOGUE_INVALID', 'catalogue', own);
  return cat;
}

const BUILT_IN_PROFILES: readonly Profile[] = [BAC_GIANG_2025, HEALTH_SECTOR_EXAMPLE];

function checkGoal(t: ProfileTarget, ind: Indicator, path: string, out: ValidationIssue[]): void {
  const g = t.target;
  const boolGoal = g.op === 'yes' || g.op === 'no';
  if (ind.valueType === 'boolean' && !boolGoal)
    out.push(
      issue(
        `${path}/target/op`,
        `chỉ số "${ind.code}" là Có/Chưa: mục tiêu phải là yes hoặc no`,
        `indicator "${ind.code}" is yes/no: its target must be yes or no`,
      ),
    );
  if (ind.valueType === 'number' && boolGoal)
    out.push(
      issue(
        `${path}/target/op`,
        `chỉ số "${ind.code}" là số: mục tiêu phải là eq, gte, lte hoặc between`,
        `indicator "${ind.code}" is numeric: its target must be eq, gte, lte or between`,
      ),
    );
  if (g.op === 'between' && g.min > g.max)
    out.push(issue(`${path}/target`, 'min lớn hơn max', 'min is greater than max'));
  if (ind.unit === 'percent') {
    const values = g.op === 'between' ? [g.min, g.max] : 'value' in g ? [g.value] : [];
    if (values.some((v) => v < 0 || v > 100))
      out.push(
        issue(
          `${path}/target`,
          'mục tiêu phần trăm phải trong khoảng 0–100',
          'a percent target must be within 0–100',
        ),
      );
  }
}

function applyAlias(ind: Indicator, alias: IndicatorAlias): Indicator {
  return {
    ...ind,
    ...(alias.name !== undefined ? { name: alias.name } : {}),
    ...(alias.unit !== undefined ? { unit: alias.unit } : {}),
    ...(alias.unitLabel !== undefined ? { unitLabel: alias.unitLabel } : {}),
  };
}

/**
 * Applies a profile to its catalogue: validates it (schema, then references: every target names
 * a known indicator once, targets fit the indicator's type, additions do not collide), layers the
 * targets and extra indicators of the profiles it `extends`, and returns the indicator index and
 * tree that evaluation rolls up by. Throws `KpiError` `PROFILE_INVALID` with `details.issues`.
 */
export function resolveProfile(value: unknown, options: ResolveOptions = {}): ResolvedProfile {
  const schemas = options.schemas ?? new KpiSchemas();
  const schemaIssues = schemas.check('profile', value);
  if (schemaIssues.length > 0) fail('PROFILE_INVALID', 'profile', schemaIssues);
  const profile = value as Profile;
  try {
    periodRange(profile.targetPeriod);
  } catch (err) {
    fail('PROFILE_INVALID', 'profile', [
      {
        code: 'INVALID_PERIOD',
        path: '/targetPeriod',
        message: { vi: 'kỳ mục tiêu không hợp lệ', en: (err as Error).message },
      },
    ]);
  }
  const catalogue =
    options.catalogue ?? (profile.catalogue === VN_SMART_CITY_2025.id ? VN_SMART_CITY_2025 : undefined);
  if (catalogue === undefined || catalogue.id !== profile.catalogue)
    throw new KpiError(
      'UNKNOWN_CATALOGUE',
      `profile "${profile.id}" needs catalogue "${profile.catalogue}": pass it as options.catalogue`,
    );
  if (options.catalogue !== undefined) validateCatalogue(options.catalogue, schemas);

  // The chain of profiles, base first.
  const known = new Map<string, Profile>();
  for (const p of [...BUILT_IN_PROFILES, ...(options.profiles ?? [])]) known.set(p.id, p);
  const chain: Profile[] = [profile];
  for (let p = profile; p.extends !== undefined;) {
    const base = known.get(p.extends);
    if (base === undefined)
      throw new KpiError(
        'UNKNOWN_PROFILE',
        `profile "${p.id}" extends "${p.extends}": pass it in options.profiles`,
      );
    if (chain.some((c) => c.id === base.id))
      throw new KpiError('PROFILE_INVALID', `profile "${profile.id}" extends itself through "${base.id}"`);
    if (base.catalogue !== profile.catalogue)
      throw new KpiError('PROFILE_INVALID', `profile "${p.id}" extends "${base.id}" of another catalogue`);
    if (base !== profile) {
      const baseIssues = schemas.check('profile', base);
      if (baseIssues.length > 0) fail('PROFILE_INVALID', `profile "${base.id}"`, baseIssues);
    }
    chain.unshift(base);
    p = base;
  }

  const nodes = new Map<
    string,
    { level: TreeNode['level']; code: string; name: LocalizedText; parent?: string; children: string[] }
  >();
  const indicators = new Map<string, ResolvedIndicator>();
  const layers: string[] = [];
  const addNode = (level: TreeNode['level'], node: Layer | Group | Subgroup, parent?: string) => {
    nodes.set(node.code, {
      level,
      code: node.code,
      name: node.name,
      ...(parent ? { parent } : {}),
      children: [],
    });
    if (parent) nodes.get(parent)?.children.push(node.code);
    else layers.push(node.code);
  };
  for (const l of catalogue.layers) {
    addNode('layer', l);
    for (const g of l.groups) {
      addNode('group', g, l.code);
      for (const s of g.subgroups) {
        addNode('subgroup', s, g.code);
        for (const ind of s.indicators) {
          indicators.set(ind.code, {
            ...ind,
            layer: l.code,
            group: g.code,
            subgroup: s.code,
            origin: 'catalogue',
          });
          nodes.get(s.code)?.children.push(ind.code);
        }
      }
    }
  }

  const issues: ValidationIssue[] = [];
  const targets = new Map<string, ProfileTarget>();
  for (const p of chain) {
    const prefix = p === profile ? '' : `(${p.id})`;
    (p.subgroups ?? []).forEach((s, i) => {
      const group = nodes.get(s.group);
      if (group?.level !== 'group')
        issues.push(
          issue(
            `${prefix}/subgroups/${i}/group`,
            `không có nhóm "${s.group}"`,
            `there is no group "${s.group}"`,
          ),
        );
      else if (nodes.has(s.code))
        issues.push(
          issue(`${prefix}/subgroups/${i}/code`, `mã "${s.code}" đã có`, `code "${s.code}" already exists`),
        );
      else {
        nodes.set(s.code, { level: 'subgroup', code: s.code, name: s.name, parent: s.group, children: [] });
        group.children.push(s.code);
      }
    });
    (p.indicators ?? []).forEach((ind, i) => {
      const sub = nodes.get(ind.subgroup);
      if (sub?.level !== 'subgroup') {
        issues.push(
          issue(
            `${prefix}/indicators/${i}/subgroup`,
            `không có phân nhóm "${ind.subgroup}"`,
            `there is no subgroup "${ind.subgroup}"`,
          ),
        );
        return;
      }
      if (indicators.has(ind.code) || nodes.has(ind.code)) {
        issues.push(
          issue(
            `${prefix}/indicators/${i}/code`,
            `mã "${ind.code}" đã có`,
            `code "${ind.code}" already exists`,
          ),
        );
        return;
      }
      const group = nodes.get(sub.parent ?? '');
      const { subgroup: _s, ...rest } = ind;
      indicators.set(ind.code, {
        ...rest,
        layer: group?.parent ?? '',
        group: sub.parent ?? '',
        subgroup: sub.code,
        origin: p.id,
      });
      sub.children.push(ind.code);
    });
    for (const [code, aliasId] of Object.entries(p.aliases ?? {})) {
      const ind = indicators.get(code);
      const alias = ind?.aliases?.find((a) => a.id === aliasId);
      if (ind === undefined || alias === undefined) {
        issues.push(
          issue(
            `${prefix}/aliases/${code}`,
            `chỉ số "${code}" không có bí danh "${aliasId}"`,
            `indicator "${code}" has no alias "${aliasId}"`,
          ),
        );
        continue;
      }
      let moved = ind;
      if (alias.subgroup !== undefined && alias.subgroup !== ind.subgroup) {
        const to = nodes.get(alias.subgroup);
        if (to?.level !== 'subgroup') {
          issues.push(
            issue(
              `${prefix}/aliases/${code}`,
              `không có phân nhóm "${alias.subgroup}"`,
              `there is no subgroup "${alias.subgroup}"`,
            ),
          );
          continue;
        }
        const from = nodes.get(ind.subgroup);
        if (from) from.children.splice(from.children.indexOf(code), 1);
        to.children.push(code);
        const group = nodes.get(to.parent ?? '');
        moved = { ...ind, subgroup: to.code, group: to.parent ?? '', layer: group?.parent ?? '' };
      }
      indicators.set(code, { ...moved, ...applyAlias(moved, alias), alias: alias.id });
    }
    const seenHere = new Set<string>();
    p.targets.forEach((t, i) => {
      const path = `${prefix}/targets/${i}`;
      const ind = indicators.get(t.indicator);
      if (ind === undefined) {
        issues.push({
          code: 'UNKNOWN_INDICATOR',
          path: `${path}/indicator`,
          message: { vi: `không có chỉ số "${t.indicator}"`, en: `there is no indicator "${t.indicator}"` },
        });
        return;
      }
      if (seenHere.has(t.indicator)) {
        issues.push({
          code: 'DUPLICATE',
          path: `${path}/indicator`,
          message: {
            vi: `chỉ số "${t.indicator}" có hai mục tiêu`,
            en: `indicator "${t.indicator}" has two targets`,
          },
        });
        return;
      }
      seenHere.add(t.indicator);
      checkGoal(t, ind, path, issues);
      targets.set(t.indicator, t);
    });
  }
  if (issues.length > 0) fail('PROFILE_INVALID', `profile "${profile.id}"`, issues);
  for (const [code, t] of targets) {
    const ind = indicators.get(code);
    if (ind) indicators.set(code, { ...ind, target: t });
  }

  return {
    profile,
    catalogue,
    indicators,
    nodes: nodes,
    layers,
    schemas,
  };
}

/** Every indicator of a catalogue, in order. */
export function listIndicators(catalogue: Catalogue): Indicator[] {
  return catalogue.layers.flatMap((l) => l.groups.flatMap((g) => g.subgroups.flatMap((s) => s.indicators)));
}
