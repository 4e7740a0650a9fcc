/**
 * Finds fields that the Kubernetes API does not know (a typo such as `readinesProbe`), which the
 * OpenAPI validators accept and the API server silently drops. The field lists come from the type
 * declarations kubernetes-models generates from the same OpenAPI schema, read with the TypeScript
 * compiler API.
 */
import { join } from "node:path";
import ts from "typescript";
import { objectId, type KubeObject } from "./objects.js";
import { repoRoot } from "./helm.js";

interface TypeIndex {
  checker: ts.TypeChecker;
  types: Map<string, ts.Type>;
}

let cached: { key: string; index: TypeIndex } | undefined;

function kindKey(object: KubeObject): string {
  return `${object.apiVersion}/${object.kind}`;
}

/** Compiles a tiny module that names the interface of every kind asked for. */
function typeIndex(kinds: readonly string[]): TypeIndex {
  const key = [...kinds].sort().join(",");
  if (cached?.key === key) return cached.index;
  const file = join(repoRoot, "__kubernetes_kinds__.mts");
  const source = kinds
    .map((kind, index) => {
      const name = kind.slice(kind.lastIndexOf("/") + 1);
      return `import type { I${name} as K${index} } from "kubernetes-models/${kind}";\nexport type T${index} = K${index};`;
    })
    .join("\n");
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const original = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host) };
  host.getSourceFile = (name, language, onError, create) =>
    name === file ? ts.createSourceFile(name, source, language, true) : original.getSourceFile(name, language, onError, create);
  host.fileExists = (name) => name === file || original.fileExists(name);
  host.readFile = (name) => (name === file ? source : original.readFile(name));
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error("could not compile the kubernetes-models type index");
  const problems = ts.getPreEmitDiagnostics(program, sourceFile);
  if (problems.length > 0) {
    throw new Error(`kubernetes-models types did not resolve: ${ts.flattenDiagnosticMessageText(problems[0]?.messageText ?? "", "\n")}`);
  }
  const types = new Map<string, ts.Type>();
  for (const statement of sourceFile.statements) {
    if (ts.isTypeAliasDeclaration(statement)) {
      const index = Number(statement.name.text.slice(1));
      const kind = kinds[index];
      if (kind !== undefined) types.set(kind, checker.getTypeAtLocation(statement.name));
    }
  }
  const index = { checker, types };
  cached = { key, index };
  return index;
}

function walk(index: TypeIndex, value: unknown, declared: ts.Type, path: string, problems: string[]): void {
  const { checker } = index;
  const type = checker.getNonNullableType(declared);
  if (value === null || typeof value !== "object") return;
  if (type.isUnion()) {
    // e.g. IntOrString; only an object member can describe an object value
    const objects = type.types.filter((member) => (member.flags & ts.TypeFlags.Object) !== 0);
    if (objects.length === 1 && objects[0]) walk(index, value, objects[0], path, problems);
    return;
  }
  if (Array.isArray(value)) {
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      if (element) value.forEach((item, position) => walk(index, item, element, `${path}[${position}]`, problems));
    }
    return;
  }
  const map = checker.getIndexInfoOfType(type, ts.IndexKind.String);
  if (map) {
    for (const [key, item] of Object.entries(value)) walk(index, item, map.type, `${path}.${key}`, problems);
    return;
  }
  const fields = new Map(checker.getPropertiesOfType(type).map((symbol) => [symbol.name, symbol]));
  if (fields.size === 0) return; // free-form (e.g. RawExtension)
  for (const [key, item] of Object.entries(value)) {
    const field = fields.get(key);
    if (!field) {
      problems.push(`${path ? `${path}.` : ""}${key} is not a field of ${checker.typeToString(type)}`);
      continue;
    }
    walk(index, item, checker.getTypeOfSymbol(field), path ? `${path}.${key}` : key, problems);
  }
}

/** Unknown fields of each object, as "Kind/name: path is not a field of Type". */
export function unknownFields(objects: readonly KubeObject[]): string[] {
  const kinds = [...new Set(objects.map(kindKey))];
  const index = typeIndex(kinds);
  const problems: string[] = [];
  for (const object of objects) {
    const type = index.types.get(kindKey(object));
    if (!type) throw new Error(`no type for ${kindKey(object)}`);
    const found: string[] = [];
    walk(index, object, type, "", found);
    problems.push(...found.map((problem) => `${objectId(object)}: ${problem}`));
  }
  return problems;
}
