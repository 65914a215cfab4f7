// Version facts for the whole binary: the Kubernetes API level kapi implements, kapi's own
// version, and the build stamp. `kapi version`, the User-Agent and (later) the server's
// /version all read them from here.

import { basename } from "node:path";
import { buildStamp } from "./build-stamp.ts" with { type: "macro" };

const STAMP = buildStamp();

/** kapi's own release, from package.json at build time. */
export const KAPI_VERSION: string = STAMP.version;

/** The Kubernetes minor release whose API kapi speaks. */
export const KUBE_MAJOR = "1";
export const KUBE_MINOR = "33";

/** Semver with kapi as build metadata, the way distributions tag it (k3s: v1.33.1+k3s1). */
export const GIT_VERSION = `v${KUBE_MAJOR}.${KUBE_MINOR}.0+kapi.${KAPI_VERSION}`;

/** The fields of Kubernetes' version.Info, as /version and `kubectl version -o json` carry them. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** This binary's version.Info. goVersion/compiler honestly name Bun, not Go. */
export function versionInfo(): VersionInfo {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: GIT_VERSION,
    gitCommit: STAMP.gitCommit,
    gitTreeState: STAMP.gitTreeState,
    buildDate: STAMP.buildDate,
    goVersion: `bun${Bun.version}`,
    compiler: "bun",
    platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}

/** The name this binary was invoked as (kubectl puts argv[0]'s basename in its User-Agent). */
export function programName(): string {
  const compiled = process.argv[1]?.startsWith("/$bunfs/") ?? false;
  return compiled ? basename(process.argv0) || "kapi" : "kapi";
}
