// A validator for OCSF events, built from the schema files checked in under test/fixtures/ocsf-1.2.0.
// It resolves a class the way the OCSF schema server does (`extends`, then the `$include`d includes
// and profiles under the class's own attributes, the dictionary's definitions under both) and checks
// what a SIEM's intake checks: every required attribute present, no attribute the class does not
// define, types (objects recursively), enum values and the captions their `*_name` siblings repeat,
// constraints (at_least_one, just_one), profiles, and that type_uid = class_uid * 100 + activity_id.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type EnumValue = { caption: string };
type Attribute = {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  /** Set on attributes a profile brings; null where a class takes one in unconditionally. */
  profile?: string | null;
  enum?: Record<string, EnumValue>;
  sibling?: string;
};
type Constraints = { at_least_one?: string[]; just_one?: string[] };
type Definition = {
  name: string;
  caption: string;
  uid?: number;
  category?: string;
  extends?: string;
  meta?: string;
  attributes: Record<string, Attribute>;
  constraints?: Constraints;
};
type DataType = { type?: string; regex?: string; max_len?: number; range?: [number, number] };
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deepMerge<T>(base: T, override: unknown): T {
  if (!isObject(base) || !isObject(override)) return override as T;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in merged ? deepMerge(merged[key], value) : value;
  }
  return merged as T;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(file);
    return entry.name.endsWith('.json') ? [file] : [];
  });
}

/** The OCSF 1.2.0 schema the export conforms to, from the repository's copy (CI clones have no other). */
export function ocsfSchema(): OcsfSchema {
  return new OcsfSchema(path.resolve(import.meta.dirname, '../fixtures/ocsf-1.2.0'));
}

/** A loaded OCSF schema: `validate` returns every problem of one event, empty when it conforms. */
export class OcsfSchema {
  readonly version: string;
  private readonly dictionary: Record<string, Attribute>;
  private readonly types: Record<string, DataType>;
  private readonly categories: Record<string, { caption: string; uid: number }>;
  private readonly profiles: Set<string>;
  private readonly classes = new Map<number, Definition>();
  private readonly objects = new Map<string, Definition>();

  constructor(private readonly root: string) {
    const read = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
    this.version = read('version.json').version;
    const dictionary = read('dictionary.json');
    this.dictionary = dictionary.attributes;
    this.types = dictionary.types.attributes;
    this.categories = read('categories.json').attributes;
    this.profiles = new Set(jsonFiles(path.join(root, 'profiles')).map((file) => this.load(file).name));

    const events = new Map(jsonFiles(path.join(root, 'events')).map((file) => [this.load(file).name, file]));
    for (const name of events.keys()) {
      const definition = this.resolve(events, name);
      const category = definition.category && this.categories[definition.category];
      if (definition.uid === undefined || !category) continue; // base_event, iam, application
      const classUid = category.uid * 1000 + definition.uid;
      this.classes.set(classUid, this.withUids(definition, classUid, category));
    }
    const objects = new Map(
      jsonFiles(path.join(root, 'objects')).map((file) => [this.load(file).name, file]),
    );
    for (const name of objects.keys()) this.objects.set(name, this.resolve(objects, name));
  }

  /** The resolved class `classUid` (for tests that look at what a class requires). */
  classOf(classUid: number): Definition | undefined {
    return this.classes.get(classUid);
  }

  /** Every way `event` departs from the schema, each naming the attribute path. */
  validate(event: unknown): string[] {
    if (!isObject(event)) return ['(event): not an object'];
    const definition = typeof event.class_uid === 'number' ? this.classes.get(event.class_uid) : undefined;
    if (!definition) return [`class_uid: no class ${JSON.stringify(event.class_uid)} in this schema`];
    const errors: string[] = [];
    const metadata = isObject(event.metadata) ? event.metadata : {};
    const profiles = Array.isArray(metadata.profiles) ? metadata.profiles.map(String) : [];
    for (const profile of profiles) {
      if (!this.profiles.has(profile)) errors.push(`metadata.profiles: no profile ${profile}`);
    }
    this.checkObject(event, definition, '', profiles, errors);
    // A missing or mistyped activity_id or type_uid is reported above; here only the arithmetic.
    const { class_uid: classUid, activity_id: activityId, type_uid: typeUid } = event;
    if (typeof activityId === 'number' && typeof typeUid === 'number') {
      const expected = (classUid as number) * 100 + activityId;
      if (typeUid !== expected) {
        errors.push(`type_uid: ${typeUid} is not class_uid * 100 + activity_id (${expected})`);
      }
    }
    if (metadata.version !== this.version) {
      errors.push(`metadata.version: ${JSON.stringify(metadata.version)}, this schema is ${this.version}`);
    }
    return errors;
  }

  private load(file: string): Definition {
    return JSON.parse(readFileSync(file, 'utf8'));
  }

  /** A definition with its includes merged under its own attributes, then its `extends` chain under that. */
  private resolve(files: Map<string, string>, name: string): Definition {
    const file = files.get(name);
    if (!file) throw new Error(`the schema copy lacks ${name}, which something extends`);
    const definition = this.withIncludes(this.load(file));
    if (!definition.extends) return definition;
    const base = this.resolve(files, definition.extends);
    return { ...base, ...definition, attributes: deepMerge(base.attributes, definition.attributes) };
  }

  private withIncludes(definition: Definition): Definition {
    const { $include, ...own } = (definition.attributes ?? {}) as Record<string, Attribute> & {
      $include?: unknown;
    };
    let included: Record<string, Attribute> = {};
    for (const file of [$include ?? []].flat() as string[]) {
      const part = this.withIncludes(this.load(path.join(this.root, file)));
      const attributes =
        part.meta === 'profile'
          ? Object.fromEntries(
              Object.entries(part.attributes).map(([k, a]) => [k, { ...a, profile: part.name }]),
            )
          : part.attributes;
      included = deepMerge(included, attributes);
    }
    return { ...definition, attributes: deepMerge(included, own) };
  }

  /** What the schema server derives per class: the one class_uid, category_uid, and a type_uid per activity. */
  private withUids(definition: Definition, classUid: number, category: { caption: string; uid: number }) {
    const activities = deepMerge(
      this.dictionary.activity_id?.enum ?? {},
      definition.attributes.activity_id?.enum ?? {},
    ) as Record<string, EnumValue>;
    const types = Object.fromEntries(
      Object.entries(activities).map(([id, { caption }]) => [
        String(classUid * 100 + Number(id)),
        { caption: `${definition.caption}: ${caption}` },
      ]),
    );
    return deepMerge(definition, {
      attributes: {
        class_uid: { enum: { [classUid]: { caption: definition.caption } } },
        category_uid: { enum: { [category.uid]: { caption: category.caption } } },
        type_uid: { enum: types },
      },
    });
  }

  private checkObject(value: Json, definition: Definition, at: string, profiles: string[], errors: string[]) {
    const attributes = new Map(
      Object.entries(definition.attributes).filter(([, a]) => !a.profile || profiles.includes(a.profile)),
    );
    // An object type with no attributes (OCSF's `object`, as in `unmapped`) takes anything.
    if (attributes.size > 0) {
      for (const key of Object.keys(value)) {
        if (!attributes.has(key)) errors.push(`${at}${key}: not an attribute of ${definition.name}`);
      }
    }
    for (const [name, own] of attributes) {
      const classEnum = own.enum;
      const attribute = deepMerge(this.dictionary[name] ?? {}, own);
      // The classification include's placeholder enums (0 only) give way to the class's own uids.
      if (classEnum && (name === 'class_uid' || name === 'category_uid' || name === 'type_uid')) {
        attribute.enum = Object.fromEntries(Object.entries(classEnum).filter(([id]) => id !== '0'));
      }
      const item = value[name];
      if (item === undefined || item === null) {
        if (attribute.requirement === 'required') errors.push(`${at}${name}: required by ${definition.name}`);
        continue;
      }
      this.checkValue(item, attribute, `${at}${name}`, profiles, errors);
      this.checkEnum(value, name, attribute, at, errors);
    }
    for (const [kind, names] of Object.entries(definition.constraints ?? {}) as [string, string[]][]) {
      const present = names.filter((name) => value[name] !== undefined).length;
      if (kind === 'at_least_one' && present === 0) {
        errors.push(`${at || '(event)'}: ${definition.name} needs at least one of ${names.join(', ')}`);
      }
      if (kind === 'just_one' && present !== 1) {
        errors.push(`${at || '(event)'}: ${definition.name} needs exactly one of ${names.join(', ')}`);
      }
    }
  }

  private checkValue(value: unknown, attribute: Attribute, at: string, profiles: string[], errors: string[]) {
    if (attribute.is_array) {
      if (!Array.isArray(value)) {
        errors.push(`${at}: must be an array`);
        return;
      }
      for (const [i, item] of value.entries())
        this.checkOne(item, attribute.type, `${at}[${i}]`, profiles, errors);
      return;
    }
    this.checkOne(value, attribute.type, at, profiles, errors);
  }

  private checkOne(
    value: unknown,
    type: string | undefined,
    at: string,
    profiles: string[],
    errors: string[],
  ) {
    if (!type) {
      errors.push(`${at}: the schema gives no type`);
      return;
    }
    const object = this.objects.get(type);
    if (object) {
      if (isObject(value)) this.checkObject(value, object, `${at}.`, profiles, errors);
      else errors.push(`${at}: must be a ${type} object`);
      return;
    }
    const dataType = this.types[type];
    if (!dataType) {
      errors.push(`${at}: type ${type} is neither a data type nor an object in the schema copy`);
      return;
    }
    const base = dataType.type ?? type;
    const ok =
      base === 'string_t'
        ? typeof value === 'string'
        : base === 'integer_t' || base === 'long_t'
          ? Number.isSafeInteger(value)
          : base === 'float_t'
            ? typeof value === 'number'
            : base === 'boolean_t'
              ? typeof value === 'boolean'
              : base === 'json_t';
    if (!ok) {
      errors.push(`${at}: ${JSON.stringify(value)} is not a ${type}`);
      return;
    }
    const maxLength = dataType.max_len ?? this.types[base]?.max_len;
    if (typeof value === 'string' && maxLength !== undefined && value.length > maxLength) {
      errors.push(`${at}: longer than ${maxLength}`);
    }
    if (typeof value === 'string' && dataType.regex && !new RegExp(dataType.regex).test(value)) {
      errors.push(`${at}: ${JSON.stringify(value)} is not a valid ${type}`);
    }
    const range = dataType.range;
    if (typeof value === 'number' && range && (value < range[0] || value > range[1])) {
      errors.push(`${at}: ${value} is outside ${range[0]}..${range[1]}`);
    }
  }

  private checkEnum(owner: Json, name: string, attribute: Attribute, at: string, errors: string[]) {
    const values = attribute.enum;
    if (!values) return;
    const value = owner[name];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!(String(item) in values))
        errors.push(`${at}${name}: ${JSON.stringify(item)} is not one of its enum`);
    }
    // A sibling repeats the caption, except for Other (99), where it carries the source's own word.
    const sibling = attribute.sibling ? owner[attribute.sibling] : undefined;
    if (sibling === undefined || Array.isArray(value) || value === 99) return;
    const caption = values[String(value)]?.caption;
    if (caption !== undefined && sibling !== caption) {
      errors.push(
        `${at}${attribute.sibling}: ${JSON.stringify(sibling)}, the caption of ${name} ${value} is "${caption}"`,
      );
    }
  }
}
