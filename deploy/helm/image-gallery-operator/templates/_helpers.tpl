{{- define "igo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "igo.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "igo.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "igo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "igo.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{/* What the operator does in a namespace: read and watch its kinds, add and remove its finalizer, write status,
and keep the Roles/RoleBindings that share objects (read-only grants it holds itself, as RBAC requires): it watches
them (list/watch, only those labelled imagegallery.dev/share-of), writes them by server-side apply (create/patch)
and deletes them when an object is no longer shared. */}}
{{- define "igo.namespacedRules" -}}
- apiGroups: ["imagegallery.dev"]
  resources: ["galleries", "imagedefinitions", "imageversions"]
  verbs: ["get", "list", "watch", "patch", "update"]
{{- if .Values.retention.allowVersionDeletion }}
- apiGroups: ["imagegallery.dev"]
  resources: ["imageversions"]
  verbs: ["delete"]
{{- end }}
- apiGroups: ["imagegallery.dev"]
  resources: ["galleries/status", "imagedefinitions/status", "imageversions/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["imagegallery.dev"]
  resources: ["galleries/finalizers", "imagedefinitions/finalizers", "imageversions/finalizers"]
  verbs: ["update"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["list", "watch", "create", "patch", "delete"]
{{- end -}}
