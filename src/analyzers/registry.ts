// Which analyzer handles which program. Programs without one get a generic fact.
import { analyzers as aws } from './aws/aws.js';
import { analyzers as docker } from './docker/docker.js';
import { analyzers as filesystem } from './filesystem/filesystem.js';
import { analyzers as gcloud } from './gcloud/gcloud.js';
import { analyzers as git } from './git/git.js';
import { analyzers as helm } from './kube/helm.js';
import { analyzers as kubectl } from './kube/kubectl.js';
import { analyzers as postgres } from './postgres/postgres.js';
import { analyzers as shell } from './shell.js';
import { analyzers as terraform } from './terraform/terraform.js';
import type { Analyzer } from './types.js';
import { analyzers as wrappers } from './wrappers.js';

const table = new Map<string, Analyzer>(
  Object.entries({ ...aws, ...docker, ...filesystem, ...gcloud, ...git, ...helm, ...kubectl, ...postgres, ...terraform, ...wrappers, ...shell }),
);

/** The analyzer for a normalized program name; `mkfs.ext4` falls back to `mkfs.*`. */
export function lookupAnalyzer(program: string): Analyzer | undefined {
  const exact = table.get(program);
  if (exact) return exact;
  const dot = program.indexOf('.');
  return dot > 0 ? table.get(`${program.slice(0, dot)}.*`) : undefined;
}
