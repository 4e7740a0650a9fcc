/**
 * Validates rendered objects against the Kubernetes OpenAPI schema of their kind, using the validators
 * that the kubernetes-models package compiles from it (types, enums, formats, required fields).
 */
import { objectId, type KubeObject } from "./objects.js";

interface ValidatingModel {
  validate(): void;
}
type ModelClass = new (data: unknown) => ValidatingModel;

function modelModulePath(apiVersion: string, kind: string): string {
  // core/v1 lives at kubernetes-models/v1, every other group at kubernetes-models/<group>/<version>
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The schema problems of one object ([] when valid); throws when the kind is unknown to kubernetes-models. */
export async function schemaProblems(object: KubeObject): Promise<string[]> {
  const path = modelModulePath(object.apiVersion, object.kind);
  let module: Record<string, unknown>;
  try {
    module = (await import(path)) as Record<string, unknown>;
  } catch {
    throw new Error(`${objectId(object)}: no schema for ${object.apiVersion} ${object.kind} in kubernetes-models (${path})`);
  }
  const Model = module[object.kind] as ModelClass | undefined;
  if (typeof Model !== "function") throw new Error(`${path} exports no ${object.kind} model`);
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split(", ").map((problem) => `${objectId(object)}: ${problem}`);
  }
}
