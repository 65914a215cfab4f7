// kubectl's JSONPath printer: `-o jsonpath=…`, `-o jsonpath-as-json=…` and `-o jsonpath-file`.

import { goJson } from "../printers/go-json.ts";
import { findResults, JsonPathError, printResults } from "./eval.ts";
import { goQuote, goSyntax } from "./go-syntax.ts";
import { JsonPathParseError, parseTemplate, type TemplateNode } from "./parser.ts";

export { parsePath, parseTemplate, JsonPathParseError } from "./parser.ts";
export { findResults, printResults, JsonPathError } from "./eval.ts";

/** How the template's results are rendered. */
export interface JsonPathOptions {
  allowMissingKeys?: boolean;
  /** `jsonpath-as-json`: each action's results as an indented JSON array. */
  asJson?: boolean;
}

/** A compiled template; `execute` renders one object or throws with kubectl's message. */
export class JsonPathTemplate {
  private readonly nodes: TemplateNode[];

  /** Throws Error(`error parsing jsonpath <t>, <why>`) for a bad template. */
  constructor(
    readonly template: string,
    private readonly opts: JsonPathOptions = {},
  ) {
    try {
      this.nodes = parseTemplate(template);
    } catch (err) {
      if (err instanceof JsonPathParseError) throw new Error(`error parsing jsonpath ${template}, ${err.message}`);
      throw err;
    }
  }

  /** The rendered text for `data`. */
  execute(data: unknown): string {
    let results: unknown[][];
    try {
      results = findResults(this.nodes, data, { allowMissingKeys: this.opts.allowMissingKeys ?? true });
    } catch (err) {
      if (!(err instanceof JsonPathError)) throw err;
      throw new Error(
        `error executing jsonpath ${goQuote(this.template)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
          `\ttemplate was:\n\t\t${this.template}\n\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`,
      );
    }
    if (this.opts.asJson) return results.map((r) => `${goJson(r)}\n`).join("");
    return results.map(printResults).join("");
  }
}
