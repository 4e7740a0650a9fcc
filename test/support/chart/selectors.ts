/** Kubernetes label selectors, evaluated the way the API server does. */
import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector" with { "resolution-mode": "import" };

/** Does a LabelSelector (matchLabels + matchExpressions) select these labels? An empty selector selects all. */
export function selectorMatches(selector: ILabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
        if (!present || value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (present && value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${expression.operator}`);
    }
  }
  return true;
}

/** A Service's spec.selector (a plain map): selects labels that contain every pair. Empty selects nothing. */
export function serviceSelectorMatches(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
