export declare const START: string;
export declare const END: string;
/** The README's stack-config table, rendered from the text of Pulumi.yaml. */
export declare function renderConfigTable(pulumiYaml: string): string;
