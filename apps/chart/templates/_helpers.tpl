{{/*
todo-chatbot.name -- the chart name, or nameOverride; the value of the app.kubernetes.io/name label.
Truncated to 63 characters (the DNS label limit).
*/}}
{{- define "todo-chatbot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
todo-chatbot.fullname -- the prefix of every object name: fullnameOverride, else "<release>-<name>",
else just the release name when it already contains the chart name. Truncated to 40 characters so that
"<fullname>-postgresql" and the StatefulSet's PVC/Pod names stay within the 63-character limits.
*/}}
{{- define "todo-chatbot.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
todo-chatbot.chart -- "<chart>-<version>", the value of the helm.sh/chart label.
*/}}
{{- define "todo-chatbot.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
todo-chatbot.selectorLabels -- the stable labels that select the release's Pods: name and instance.
They never change across upgrades, so they are safe in immutable selectors.
*/}}
{{- define "todo-chatbot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-chatbot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
todo-chatbot.labels -- the recommended labels for objects that belong to no single component
(ConfigMap, Secret, the default-deny NetworkPolicy).
*/}}
{{- define "todo-chatbot.labels" -}}
helm.sh/chart: {{ include "todo-chatbot.chart" . }}
{{ include "todo-chatbot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "todo-chatbot.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
todo-chatbot.componentSelectorLabels -- selector labels of one component.
Call with (dict "context" $ "component" "backend"); component is backend, frontend, postgresql or test.
*/}}
{{- define "todo-chatbot.componentSelectorLabels" -}}
{{ include "todo-chatbot.selectorLabels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
todo-chatbot.componentLabels -- the recommended labels of one component's objects and Pods.
Call with (dict "context" $ "component" "backend").
*/}}
{{- define "todo-chatbot.componentLabels" -}}
{{ include "todo-chatbot.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
todo-chatbot.componentName -- "<fullname>-<component>", the name of a component's objects.
Call with (dict "context" $ "component" "backend").
*/}}
{{- define "todo-chatbot.componentName" -}}
{{- printf "%s-%s" (include "todo-chatbot.fullname" .context) .component }}
{{- end }}

{{/*
todo-chatbot.image -- "<repository>:<tag>" of an application image, the tag defaulting to appVersion.
Call with (dict "context" $ "image" .Values.backend.image).
*/}}
{{- define "todo-chatbot.image" -}}
{{- printf "%s:%s" .image.repository (default .context.Chart.AppVersion .image.tag) }}
{{- end }}

{{/*
todo-chatbot.secretName -- the Secret the Pods read: existingSecret, else the chart's own "<fullname>".
*/}}
{{- define "todo-chatbot.secretName" -}}
{{- default (include "todo-chatbot.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
todo-chatbot.backendUrl -- the in-cluster URL of the backend Service (the frontend's BACKEND_URL).
*/}}
{{- define "todo-chatbot.backendUrl" -}}
{{- printf "http://%s:8000" (include "todo-chatbot.componentName" (dict "context" . "component" "backend")) }}
{{- end }}

{{/*
todo-chatbot.hasOpenaiApiKey -- "true" when the Secret holds OPENAI_API_KEY, so that the backend gets it as a
file: the chart's own Secret with secrets.openaiApiKey, or an existingSecret with networkPolicy.llmEgress (the
chart cannot look into a Secret it does not render; the Pulumi stack sets llmEgress exactly when its Secret
has a key). Empty string otherwise.
*/}}
{{- define "todo-chatbot.hasOpenaiApiKey" -}}
{{- if .Values.existingSecret }}{{ if .Values.networkPolicy.llmEgress }}true{{ end }}
{{- else if .Values.secrets.openaiApiKey }}true{{ end }}
{{- end }}

{{/*
todo-chatbot.llmEgress -- "true" when the backend may reach the LLM API: networkPolicy.llmEgress, or an
OpenAI key in the chart's own Secret. Empty string otherwise.
*/}}
{{- define "todo-chatbot.llmEgress" -}}
{{- if or .Values.networkPolicy.llmEgress (include "todo-chatbot.hasOpenaiApiKey" .) }}true{{ end }}
{{- end }}

{{/*
todo-chatbot.secretsDir -- where a Pod finds the Secret's keys, one read-only file per key. Secrets reach the
apps only as files (the *_FILE variables name them), never as environment variables.
*/}}
{{- define "todo-chatbot.secretsDir" -}}/run/secrets/todo-chatbot{{- end }}

{{/*
todo-chatbot.secretsVolume -- a volume with the given keys of the release's Secret, as files readable by the
Pod's group only (mode 0440, group fsGroup; owner root). A key missing from the Secret fails the Pod's start
with an event naming it. Call with (dict "context" $ "keys" (list "BETTER_AUTH_SECRET")).
*/}}
{{- define "todo-chatbot.secretsVolume" -}}
- name: secrets
  secret:
    secretName: {{ include "todo-chatbot.secretName" .context }}
    defaultMode: 288 # 0440
    items:
      {{- range .keys }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}

{{/*
todo-chatbot.secretsMount -- the container's read-only mount of the "secrets" volume at todo-chatbot.secretsDir.
*/}}
{{- define "todo-chatbot.secretsMount" -}}
- name: secrets
  mountPath: {{ include "todo-chatbot.secretsDir" . }}
  readOnly: true
{{- end }}

{{/*
todo-chatbot.validate -- fails the render with a message naming the value to set when the values cannot
work together. Included once, from the ConfigMap template.
*/}}
{{- define "todo-chatbot.validate" -}}
{{- if not .Values.existingSecret }}
{{- if not .Values.secrets.betterAuthSecret }}
{{- fail "secrets.betterAuthSecret is required when existingSecret is empty: pass --set secrets.betterAuthSecret=$(openssl rand -hex 32), or name a Secret holding BETTER_AUTH_SECRET in existingSecret" }}
{{- end }}
{{- if and .Values.postgresql.enabled (not .Values.secrets.postgresPassword) }}
{{- fail "secrets.postgresPassword is required when postgresql.enabled is true and existingSecret is empty: pass --set secrets.postgresPassword=$(openssl rand -hex 16)" }}
{{- end }}
{{- if and (not .Values.postgresql.enabled) (not .Values.secrets.databaseUrl) }}
{{- fail "secrets.databaseUrl is required when postgresql.enabled is false (external database) and existingSecret is empty: pass --set secrets.databaseUrl=postgres://user:password@host:5432/db, or name a Secret holding DATABASE_URL in existingSecret" }}
{{- end }}
{{- end }}
{{- range $component := list "backend" "frontend" }}
{{- $workload := index $.Values $component }}
{{- if le (int $workload.terminationGracePeriodSeconds) (add $workload.preStopSleepSeconds 10 | int) }}
{{- fail (printf "%s.terminationGracePeriodSeconds (%v) must exceed %s.preStopSleepSeconds (%v) plus the app's 10 s drain" $component $workload.terminationGracePeriodSeconds $component $workload.preStopSleepSeconds) }}
{{- end }}
{{- end }}
{{- if and .Values.backend.autoscaling.enabled (gt (int .Values.backend.autoscaling.minReplicas) (int .Values.backend.autoscaling.maxReplicas)) }}
{{- fail "backend.autoscaling.minReplicas must not exceed backend.autoscaling.maxReplicas" }}
{{- end }}
{{- if and (eq .Values.frontend.service.type "ClusterIP") (ne (int .Values.frontend.service.nodePort) 0) }}
{{- fail "frontend.service.nodePort can only be set when frontend.service.type is NodePort or LoadBalancer" }}
{{- end }}
{{- end }}

{{/*
todo-chatbot.appUid -- the user and group id of the backend and frontend images (`USER 10001:10001` in
apps/backend/Dockerfile and apps/frontend/Dockerfile; the chart suite checks they agree). Their Pods and the
helm test Pod (backend image) run as it. At least 10000, so that it is no user of the node.
*/}}
{{- define "todo-chatbot.appUid" -}}10001{{- end }}

{{/*
todo-chatbot.postgresqlUid -- the user and group id of the PostgreSQL Pod, apart from the apps' one. The
official postgres image runs as any uid: its entrypoint gives initdb a passwd entry through nss_wrapper and
creates PGDATA (a subdirectory of the data volume, made writable for this gid by fsGroup) itself.
*/}}
{{- define "todo-chatbot.postgresqlUid" -}}10002{{- end }}

{{/*
todo-chatbot.podSecurityContext -- a Pod security context that meets Pod Security "restricted":
non-root numeric user and group, fsGroup for writable volumes, RuntimeDefault seccomp.
Call with the numeric uid (the group id and fsGroup are the same).
*/}}
{{- define "todo-chatbot.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
todo-chatbot.containerSecurityContext -- a container security context that meets Pod Security
"restricted": no privilege escalation, every capability dropped, read-only root filesystem.
*/}}
{{- define "todo-chatbot.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
todo-chatbot.spread -- for a component with more than one Pod: a preferred anti-affinity across nodes
and a soft topology spread across zones, both on the component's selector labels.
Call with (dict "context" $ "component" "backend").
*/}}
{{- define "todo-chatbot.spread" -}}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "todo-chatbot.componentSelectorLabels" . | nindent 14 }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "todo-chatbot.componentSelectorLabels" . | nindent 8 }}
    matchLabelKeys:
      - pod-template-hash
{{- end }}

{{/*
todo-chatbot.replicated -- "true" when a component (backend or frontend) may run more than one Pod:
its replicaCount above 1, or for an autoscaled backend its minReplicas above 1. Empty otherwise.
Call with (dict "context" $ "component" "backend").
*/}}
{{- define "todo-chatbot.replicated" -}}
{{- $values := index .context.Values .component }}
{{- $autoscaling := dig "autoscaling" "enabled" false $values }}
{{- if $autoscaling }}
{{- if gt (int $values.autoscaling.minReplicas) 1 }}true{{ end }}
{{- else if gt (int $values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{/*
todo-chatbot.dnsEgressRule -- a NetworkPolicy egress rule allowing DNS (UDP and TCP 53) to any address,
so that the cluster DNS works whatever its Pods' labels or a node-local cache.
*/}}
{{- define "todo-chatbot.dnsEgressRule" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}

{{/*
todo-chatbot.peer -- a NetworkPolicy peer selecting one component's Pods of this release.
Call with (dict "context" $ "component" "frontend").
*/}}
{{- define "todo-chatbot.peer" -}}
- podSelector:
    matchLabels:
      {{- include "todo-chatbot.componentSelectorLabels" . | nindent 6 }}
{{- end }}
