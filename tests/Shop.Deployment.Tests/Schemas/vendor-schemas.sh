#!/usr/bin/env bash
# Regenerates the JSON schemas the manifest checks validate deploy/ against. Run by hand when a version below changes;
# the tests read only the committed output and fetch nothing.
#
# Source: npm packages that carry the published schemas as plain data (later majors ship only compiled validators):
#   kubernetes-models 4.1.0           the Kubernetes 1.25.2 OpenAPI definitions (MIT; Kubernetes itself: Apache-2.0)
#   @kubernetes-models/apimachinery   ObjectMeta, IntOrString, Quantity, LabelSelector, the types the above refer to
#   @kubernetes-models/keda 0.3.2     the keda.sh/v1alpha1 CRDs' openAPIV3Schema (MIT; KEDA itself: Apache-2.0)
#
# What the script changes, and why:
#   * `$ref: "<id>#"` becomes `#/definitions/<id>` so each file is one self-contained draft-07 document;
#   * OpenAPI's `nullable: true` becomes `type: [<type>, "null"]`, its JSON Schema meaning;
#   * every object schema that lists `properties` and says nothing of `additionalProperties` gets
#     `additionalProperties: false`: kubectl rejects unknown fields (field validation is Strict by default), so a
#     misspelt `readinesProbe` must fail here too, as kubeconform's -strict does.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
echo '{"name":"shop-schema-vendor","private":true}' > package.json
npm install --no-save --ignore-scripts --no-audit --no-fund \
  kubernetes-models@4.1.0 @kubernetes-models/apimachinery@1.2.2 @kubernetes-models/keda@0.3.2 >/dev/null

cat > extract.cjs <<'JS'
const fs = require("fs");
const path = require("path");
const validate = require("@kubernetes-models/validate");

const captured = new Map();
validate.register = (id, schema) => { if (!captured.has(id)) captured.set(id, schema); };

function rootsOf(models) {
  const roots = {};
  for (const [module, exportName] of models) {
    const model = require(module)[exportName];
    const symbols = Object.getOwnPropertySymbols(model.prototype);
    const id = symbols.map(s => model.prototype[s]).find(v => typeof v === "string");
    const addSchema = symbols.map(s => model.prototype[s]).find(v => typeof v === "function");
    addSchema();
    roots[`${model.apiVersion} ${model.kind}`] = id;
  }
  return roots;
}

function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable") continue;
    out[key] = key === "$ref" && typeof value === "string"
      ? "#/definitions/" + value.replace(/#$/, "")
      : rewrite(value);
  }
  if (node.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  if (out.properties && !("additionalProperties" in out)) out.additionalProperties = false;
  return out;
}

function closure(roots) {
  const wanted = new Set(Object.values(roots));
  const pending = [...wanted];
  while (pending.length) {
    const id = pending.pop();
    const schema = captured.get(id);
    if (!schema) throw new Error(`no schema registered for ${id}`);
    for (const match of JSON.stringify(schema).matchAll(/"\$ref":"([^"#]+)#?"/g)) {
      if (!wanted.has(match[1])) { wanted.add(match[1]); pending.push(match[1]); }
    }
  }
  return [...wanted].sort();
}

function write(file, comment, roots) {
  const definitions = {};
  for (const id of closure(roots)) definitions[id] = rewrite(captured.get(id));
  const document = { $schema: "http://json-schema.org/draft-07/schema#", $comment: comment, "x-kinds": roots, definitions };
  fs.writeFileSync(file, JSON.stringify(document, null, 1) + "\n");
}

const out = process.argv[2];
write(path.join(out, "kubernetes-1.25.json"),
  "Kubernetes 1.25.2 definitions from npm kubernetes-models@4.1.0 and @kubernetes-models/apimachinery@1.2.2; regenerate with vendor-schemas.sh.",
  rootsOf([
    ["kubernetes-models/apps/v1/Deployment", "Deployment"],
    ["kubernetes-models/v1/Service", "Service"],
    ["kubernetes-models/v1/ConfigMap", "ConfigMap"],
    ["kubernetes-models/v1/Secret", "Secret"],
  ]));
write(path.join(out, "keda-v1alpha1.json"),
  "KEDA keda.sh/v1alpha1 CRD schemas from npm @kubernetes-models/keda@0.3.2; regenerate with vendor-schemas.sh.",
  rootsOf([
    ["@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject", "ScaledObject"],
    ["@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication", "TriggerAuthentication"],
  ]));
JS

node extract.cjs "$here"
echo "wrote $here/kubernetes-1.25.json and $here/keda-v1alpha1.json"
