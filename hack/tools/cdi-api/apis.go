// Package apis holds no code: its import keeps the CDI API module, whose types hack/provision.sh
// generates CRDs from with controller-gen, a requirement of this module.
package apis

import _ "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
