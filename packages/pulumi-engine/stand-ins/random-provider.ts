// Stand-in for the `random` resource provider (served by provider-host.ts): the resources of
// @pulumi/random that this project can use, with the same type tokens, inputs and outputs, and the same
// lifecycle (any input change, `keepers` included, replaces the resource; values come from node:crypto).
// Not implemented: bcryptHash of RandomPassword, RandomPet, RandomShuffle, RandomInteger's seed.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { CheckFailure, DiffResult, ProviderFactory, Props, StandInProvider } from "./provider-host.ts";

const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";
const STRING_TYPES = ["random:index/randomPassword:RandomPassword", "random:index/randomString:RandomString"];
const SUPPORTED = [
  ...STRING_TYPES,
  "random:index/randomId:RandomId",
  "random:index/randomUuid:RandomUuid",
  "random:index/randomInteger:RandomInteger",
];

function pick(alphabet: string): string {
  return alphabet.charAt(randomInt(alphabet.length));
}

function shuffle(chars: string[]): string[] {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? "", chars[i] ?? ""];
  }
  return chars;
}

/** Like the Terraform random provider: the minimum counts first, then the rest from every enabled class. */
function randomText(inputs: Props): string {
  const length = Number(inputs["length"]);
  const classes: Array<[enabled: unknown, alphabet: string, min: unknown]> = [
    [inputs["upper"], "ABCDEFGHIJKLMNOPQRSTUVWXYZ", inputs["minUpper"]],
    [inputs["lower"], "abcdefghijklmnopqrstuvwxyz", inputs["minLower"]],
    [inputs["numeric"], "0123456789", inputs["minNumeric"]],
    [inputs["special"], typeof inputs["overrideSpecial"] === "string" ? inputs["overrideSpecial"] : DEFAULT_SPECIAL, inputs["minSpecial"]],
  ];
  const chars: string[] = [];
  let all = "";
  for (const [enabled, alphabet, min] of classes) {
    if (enabled === false || alphabet === "") continue;
    all += alphabet;
    for (let i = 0; i < Number(min ?? 0); i++) chars.push(pick(alphabet));
  }
  if (all === "") throw new Error("random: every character class is disabled; enable at least one of upper, lower, numeric, special");
  while (chars.length < length) chars.push(pick(all));
  return shuffle(chars).join("");
}

const createRandomProvider: ProviderFactory = (tools) => {
  function defaults(type: string, news: Props): Props {
    if (!STRING_TYPES.includes(type)) return news;
    const filled: Props = { lower: true, upper: true, special: true, minLower: 0, minUpper: 0, minNumeric: 0, minSpecial: 0, ...news };
    filled["numeric"] = news["numeric"] ?? news["number"] ?? true;
    filled["number"] = filled["numeric"];
    return filled;
  }

  function generate(type: string, inputs: Props): { id: string; outputs: Props } {
    const plain = tools.reveal(inputs) as Props;
    switch (type) {
      case "random:index/randomPassword:RandomPassword": {
        const result = randomText(plain);
        return { id: "none", outputs: { ...inputs, result: tools.secret(result) } };
      }
      case "random:index/randomString:RandomString": {
        const result = randomText(plain);
        return { id: result, outputs: { ...inputs, result } };
      }
      case "random:index/randomId:RandomId": {
        const bytes = randomBytes(Number(plain["byteLength"]));
        const prefix = typeof plain["prefix"] === "string" ? plain["prefix"] : "";
        const b64Url = bytes.toString("base64url");
        const outputs = {
          ...inputs,
          b64Url: prefix + b64Url,
          b64Std: prefix + bytes.toString("base64"),
          hex: prefix + bytes.toString("hex"),
          dec: prefix + BigInt(`0x${bytes.toString("hex") || "0"}`).toString(10),
        };
        return { id: b64Url, outputs };
      }
      case "random:index/randomUuid:RandomUuid": {
        const result = randomUUID();
        return { id: result, outputs: { ...inputs, result } };
      }
      case "random:index/randomInteger:RandomInteger": {
        const result = randomInt(Number(plain["min"]), Number(plain["max"]) + 1);
        return { id: String(result), outputs: { ...inputs, result } };
      }
      default:
        throw new Error(`random stand-in provider: unsupported resource type ${type}`);
    }
  }

  const provider: StandInProvider = {
    configure: () => undefined,
    check: (type, news) => {
      const failures: CheckFailure[] = [];
      if (!SUPPORTED.includes(type)) {
        failures.push({ property: "", reason: `the random stand-in provider supports only ${SUPPORTED.join(", ")}` });
      }
      const inputs = defaults(type, news);
      const length = inputs["length"];
      if (STRING_TYPES.includes(type) && length !== tools.unknown && !(Number(length) >= 1)) {
        failures.push({ property: "length", reason: "length must be a number of at least 1" });
      }
      return Promise.resolve({ inputs, failures });
    },
    diff: (_type, oldInputs, news): DiffResult => {
      const keys = new Set([...Object.keys(oldInputs), ...Object.keys(news)]);
      const diffs = [...keys].filter((k) => JSON.stringify(oldInputs[k]) !== JSON.stringify(news[k]));
      return { diffs, replaces: diffs };
    },
    create: (type, inputs) => Promise.resolve(generate(type, inputs)),
    update: (_type, _id, oldOutputs) => Promise.resolve(oldOutputs),
    read: (_type, _id, outputs) => Promise.resolve(outputs),
    delete: () => Promise.resolve(),
  };
  return provider;
};

export default createRandomProvider;
