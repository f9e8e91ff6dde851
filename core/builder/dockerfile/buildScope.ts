/**
 * The variables a stage's instructions see, as BuildKit keeps them: one environment where the
 * base image's Env, each ENV and each ARG that has a value are set in order (so ENV overrides an
 * earlier ARG of the same name, and an ARG overrides an earlier ENV), plus the list of ARGs
 * declared so far, which RUN's history line prints.
 */
import { DEFAULT_PATH } from '../../oci/config.js';
import type { KeyValue } from './instructionTypes.js';

/** Docker's PATH for a Linux image whose config has none (scratch included). */

export class BuildScope {
  private constructor(
    readonly env: Map<string, string>,
    readonly args: { key: string; value?: string }[],
  ) {}

  /** The scope at the start of a stage built on an image: its Env, PATH defaulted. */
  static fromImageEnv(imageEnv: readonly string[] = []): BuildScope {
    const env = new Map<string, string>();
    for (const entry of imageEnv) {
      const eq = entry.indexOf('=');
      env.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
    }
    if (!env.has('PATH')) env.set('PATH', DEFAULT_PATH);
    return new BuildScope(env, []);
  }

  /** A stage built on another stage starts with that stage's environment and ARGs. */
  clone(): BuildScope {
    return new BuildScope(
      new Map(this.env),
      this.args.map((a) => ({ ...a })),
    );
  }

  envList(): string[] {
    return [...this.env].map(([k, v]) => `${k}=${v}`);
  }

  /** BuildKit's `RUN |N K=V …`: each ARG once, its current value (an ENV of the same name wins). */
  argsInScope(): KeyValue[] {
    const out = new Map<string, string>();
    for (const arg of this.args) out.set(arg.key, this.env.get(arg.key) ?? arg.value ?? '');
    return [...out].map(([key, value]) => ({ key, value }));
  }
}
