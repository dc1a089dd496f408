// Command kubevirt-api writes the VirtualMachine CRD as KubeVirt's virt-operator installs it
// (NewVirtualMachineCrd, kubevirt.io/kubevirt pkg/virt-operator/resource/generate/components):
// the schema controller-gen generated from kubevirt.io/api, which KubeVirt takes unchanged, served
// at each of KubeVirt's API versions with the operator's names, printer columns and status
// subresource, which controller-gen cannot know since kubevirt.io/api has no markers for them.
//
// Usage: go run . GENERATED-CRD OUTPUT
package main

import (
	"fmt"
	"os"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	virtv1 "kubevirt.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run . GENERATED-CRD OUTPUT")
		os.Exit(2)
	}
	if err := write(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func write(generatedPath, outputPath string) error {
	data, err := os.ReadFile(generatedPath)
	if err != nil {
		return err
	}
	var generated extv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(data, &generated); err != nil {
		return fmt.Errorf("%s: %w", generatedPath, err)
	}
	if generated.Spec.Names.Kind != "VirtualMachine" || len(generated.Spec.Versions) != 1 ||
		generated.Spec.Versions[0].Schema == nil {
		return fmt.Errorf("%s: not controller-gen's VirtualMachine CRD with one version and its schema", generatedPath)
	}
	crd := virtualMachineCrd(generated.Spec.Versions[0].Schema)
	out, err := yaml.Marshal(crd)
	if err != nil {
		return err
	}
	return os.WriteFile(outputPath, out, 0o644)
}

func virtualMachineCrd(schema *extv1.CustomResourceValidation) *extv1.CustomResourceDefinition {
	crd := &extv1.CustomResourceDefinition{}
	crd.APIVersion = "apiextensions.k8s.io/v1"
	crd.Kind = "CustomResourceDefinition"
	crd.Name = "virtualmachines." + virtv1.VirtualMachineGroupVersionKind.Group
	crd.Labels = map[string]string{virtv1.AppLabel: ""}
	crd.Spec = extv1.CustomResourceDefinitionSpec{
		Group: virtv1.VirtualMachineGroupVersionKind.Group,
		Scope: extv1.NamespaceScoped,
		Names: extv1.CustomResourceDefinitionNames{
			Plural:     "virtualmachines",
			Singular:   "virtualmachine",
			Kind:       virtv1.VirtualMachineGroupVersionKind.Kind,
			ShortNames: []string{"vm", "vms"},
			Categories: []string{"all"},
		},
	}
	for _, version := range virtv1.ApiSupportedVersions {
		version.Schema = schema.DeepCopy()
		version.Subresources = &extv1.CustomResourceSubresources{Status: &extv1.CustomResourceSubresourceStatus{}}
		version.AdditionalPrinterColumns = []extv1.CustomResourceColumnDefinition{
			{Name: "Age", Type: "date", JSONPath: ".metadata.creationTimestamp"},
			{Name: "Status", Description: "Human Readable Status", Type: "string", JSONPath: ".status.printableStatus"},
			{Name: "Ready", Type: "string", JSONPath: ".status.conditions[?(@.type=='Ready')].status"},
		}
		crd.Spec.Versions = append(crd.Spec.Versions, version)
	}
	return crd
}
