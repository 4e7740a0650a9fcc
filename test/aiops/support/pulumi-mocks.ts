/** Pulumi mocks that record every registered resource with its inputs and its dependsOn. */
import type * as pulumi from "@pulumi/pulumi";

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  resource?: pulumi.Resource;
  dependsOn: pulumi.Resource[];
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: Recorded[] = [];
  private readonly byName = new Map<string, { resource: pulumi.Resource; dependsOn: pulumi.Resource[] }>();

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const seen = this.byName.get(args.name);
    this.resources.push({
      type: args.type,
      name: args.name,
      inputs: args.inputs as Record<string, unknown>,
      resource: seen?.resource,
      dependsOn: seen?.dependsOn ?? [],
    });
    return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
  }

  call(): Record<string, unknown> {
    return {};
  }

  /** A (legacy, client-side) transformation that sees each resource's options, including dependsOn. */
  readonly capture: pulumi.ResourceTransformation = (args) => {
    const deps = args.opts.dependsOn;
    const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
    this.byName.set(args.name, { resource: args.resource, dependsOn: list as pulumi.Resource[] });
    return undefined;
  };

  find(type: string, name?: string): Recorded {
    const hit = this.resources.find((r) => r.type === type && (name === undefined || r.name === name));
    if (!hit) {
      const all = this.resources.map((r) => `${r.type} ${r.name}`).join(", ");
      throw new Error(`no resource of type ${type}${name ? ` named ${name}` : ""} was registered; registered: ${all}`);
    }
    return hit;
  }

  all(type: string): Recorded[] {
    return this.resources.filter((r) => r.type === type);
  }
}

/** Resolves an Output's value (mocks run with isPreview=false, so values are known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Waits until the number of registered resources has stopped changing. */
export async function settle(mocks: RecordingMocks): Promise<void> {
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 10));
    if (mocks.resources.length === last) stable += 1;
    else {
      stable = 0;
      last = mocks.resources.length;
    }
  }
}

/** Pulumi's wire marker for a secret value, as the mock monitor receives it. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

export function isWireSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}
