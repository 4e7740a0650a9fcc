import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { BuildNetwork } from "../config/settings.ts";
import { contextHash } from "./context-hash.ts";

/** Arguments of {@link AppImage}. */
export interface AppImageArgs {
  /** Image repository name without registry or tag, e.g. "todo-chatbot-backend". */
  readonly repository: string;
  /** Build context directory, relative to the project directory (the repository root: "."). */
  readonly context: string;
  /** Dockerfile relative to the context, e.g. "apps/backend/Dockerfile". */
  readonly dockerfile: string;
  /** "buildkit" (Minikube's daemon) or "classic" (podman's Docker API has no BuildKit). */
  readonly builder: "buildkit" | "classic";
  /** Registry host (and path) to push to; "" builds into the daemon only, not pushed. */
  readonly registry: string;
  /** Registry user name (registry mode). */
  readonly registryUsername?: pulumi.Input<string>;
  /** Registry password or token (registry mode); kept secret. */
  readonly registryPassword?: pulumi.Input<string>;
  /**
   * The identity of the daemon the image is built into (ClusterEnvironment.daemonIdentity): when it
   * changes the image is rebuilt (Pulumi's `replacementTrigger`), since the Docker provider never looks
   * whether a built image is still in the daemon. null = not tied (registry mode, identity unknown).
   */
  readonly daemonIdentity?: pulumi.Input<string | null>;
  /** Platform to build for (`docker build --platform`, e.g. "linux/amd64"); "" or absent = the daemon's own. Part of the tag. */
  readonly platform?: string;
  /** Build arguments; part of the tag. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /**
   * Network of the RUN steps (`docker build --network`): "host" when the daemon has no bridge network,
   * "none"; "" or absent = the daemon's default. Not part of the tag (the same steps run either way).
   */
  readonly network?: BuildNetwork;
}

/** repository:tag, with the registry in front when there is one. */
export function imageRef(registry: string, repository: string, tag: string): string {
  return `${registry === "" ? "" : `${registry.replace(/\/+$/, "")}/`}${repository}:${tag}`;
}

/** The registry server of "registry.example.com:5000/team" -> "registry.example.com:5000". */
export function registryServer(registry: string): string {
  return registry.split("/")[0] ?? registry;
}

/**
 * One app image, built by the Docker provider it is given (Minikube's daemon by default) and tagged
 * with the hash of what its Dockerfile reads from the context. Not pushed unless a registry is set.
 */
export class AppImage extends pulumi.ComponentResource {
  /** full reference, e.g. todo-chatbot-backend:0123456789abcdef */
  public readonly ref: pulumi.Output<string>;
  /** repository (with registry) without the tag, for the chart's image.repository */
  public readonly repository: string;
  /** the content-hash tag */
  public readonly tag: string;
  public readonly image: docker.Image;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo-chatbot:index:AppImage", name, {}, opts);
    const hash = contextHash({
      contextDir: args.context,
      dockerfile: args.dockerfile,
      ...(args.buildArgs ? { buildArgs: args.buildArgs } : {}),
      ...(args.platform ? { platform: args.platform } : {}),
    });
    this.tag = hash.tag;
    this.repository = args.registry === "" ? args.repository : `${args.registry.replace(/\/+$/, "")}/${args.repository}`;
    const push = args.registry !== "";
    this.image = new docker.Image(
      name,
      {
        imageName: imageRef(args.registry, args.repository, hash.tag),
        build: {
          context: args.context,
          dockerfile: args.dockerfile,
          builderVersion: args.builder === "buildkit" ? docker.BuilderVersion.BuilderBuildKit : docker.BuilderVersion.BuilderV1,
          ...(args.buildArgs ? { args: { ...args.buildArgs } } : {}),
          ...(args.platform ? { platform: args.platform } : {}),
          ...(args.network ? { network: args.network } : {}),
        },
        skipPush: !push,
        ...(push
          ? {
              registry: {
                server: registryServer(args.registry),
                ...(args.registryUsername !== undefined ? { username: args.registryUsername } : {}),
                ...(args.registryPassword !== undefined ? { password: pulumi.secret(args.registryPassword) } : {}),
              },
            }
          : {}),
      },
      { parent: this, ...(args.daemonIdentity !== undefined ? { replacementTrigger: args.daemonIdentity } : {}) },
    );
    this.ref = this.image.imageName;
    this.registerOutputs({ ref: this.ref, tag: this.tag });
  }
}
