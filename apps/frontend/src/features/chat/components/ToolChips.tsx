import { chipFor } from "../tool-chips.ts";
import type { ToolCall } from "@todo/backend/contract";

/** The assistant's actions under its reply: small chips such as "added task 4". */
export function ToolChips({ calls }: { calls: readonly ToolCall[] }) {
  if (calls.length === 0) return null;
  return (
    <ul className="chips" aria-label="What the assistant did">
      {calls.map((call, index) => {
        const chip = chipFor(call);
        return (
          <li key={index} className={`chip chip--${chip.kind}`} title={chip.detail}>
            <span className="chip__dot" aria-hidden="true" />
            <span className="chip__label">{chip.label}</span>
            {chip.detail !== chip.label ? <span className="visually-hidden">{chip.detail.slice(chip.label.length)}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
