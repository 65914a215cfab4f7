// The request filter of kubectl's proxy: paths, methods and Host headers checked against
// comma-separated lists of regular expressions before anything reaches the API server
// (the host check defeats DNS rebinding; exec and attach are refused by default).

/** The three lists, as given on the command line. */
export interface FilterSettings {
  acceptPaths: string;
  rejectPaths: string;
  acceptHosts: string;
  rejectMethods: string;
}

/** kubectl's defaults. */
export const DEFAULT_FILTER: FilterSettings = {
  acceptPaths: "^.*",
  rejectPaths: "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach",
  acceptHosts: "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$",
  rejectMethods: "^$",
};

/** Decides whether a request may pass. */
export interface RequestFilter {
  accept(method: string, path: string, hostHeader: string): boolean;
}

/** Compiles the lists; throws `error parsing regexp: …` for an invalid expression. */
export function compileFilter(s: FilterSettings): RequestFilter {
  const acceptPaths = regexpList(s.acceptPaths);
  const rejectPaths = regexpList(s.rejectPaths);
  const acceptHosts = regexpList(s.acceptHosts);
  const rejectMethods = regexpList(s.rejectMethods);
  return {
    accept(method, path, hostHeader) {
      if (matchesAny(path, rejectPaths) || matchesAny(method, rejectMethods)) return false;
      return matchesAny(path, acceptPaths) && matchesAny(hostOf(hostHeader), acceptHosts);
    },
  };
}

function regexpList(text: string): RegExp[] {
  if (text === "") return [];
  return text.split(",").map((source) => {
    try {
      return new RegExp(source);
    } catch (err) {
      throw new Error(`error parsing regexp: ${(err as Error).message}: \`${source}\``);
    }
  });
}

function matchesAny(value: string, list: RegExp[]): boolean {
  return list.some((re) => re.test(value));
}

/** The host part of a Host header as Go's net.SplitHostPort splits it, or the whole header when that fails. */
export function hostOf(header: string): string {
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    if (end > 0 && header[end + 1] === ":" && !header.slice(end + 2).includes(":")) return header.slice(1, end);
    return header;
  }
  const colon = header.lastIndexOf(":");
  if (colon < 0 || header.indexOf(":") !== colon || header.includes("[") || header.includes("]")) return header;
  return header.slice(0, colon);
}
