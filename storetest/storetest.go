package storetest

import (
	"testing"

	"github.com/hookbridge/hookbridge"
)

// Run runs the conformance suite against the stores that open returns, as
// subtests of t. open must return a fresh, empty, migrated store holding
// some Cipher (NewTestCipher will do) and close it with t.Cleanup. It is
// called once per subtest; subtests run one after another, so stores may
// share a database server as long as each starts empty.
func Run(t *testing.T, open func(t *testing.T) hookbridge.Store) {
	for _, group := range groups() {
		t.Run(group.name, func(t *testing.T) {
			for _, c := range group.cases {
				t.Run(c.name, func(t *testing.T) {
					c.run(t, open(t))
				})
			}
		})
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, s hookbridge.Store)
}

type group struct {
	name  string
	cases []testCase
}

func groups() []group {
	return []group{
		{"Apps", appCases()},
		{"Tokens", tokenCases()},
		{"Sources", sourceCases()},
		{"Endpoints", endpointCases()},
		{"TransformationVersions", transformationVersionCases()},
		{"Messages", messageCases()},
		{"Deliveries", deliveryCases()},
		{"Claims", claimCases()},
		{"Audit", auditCases()},
		{"Maintenance", maintenanceCases()},
		{"DeliverySettings", deliverySettingsCases()},
		{"FairClaims", fairClaimCases()},
		{"ListedClaims", listedClaimCases()},
		{"EndpointHealth", endpointHealthCases()},
		{"Recovery", recoveryCases()},
		{"Throttle", throttleCases()},
		{"EndpointStats", endpointStatsCases()},
		{"Retention", retentionCases()},
		{"StorableText", textCases()},
		{"Nodes", nodeCases()},
		{"CustomerTimeline", timelineCases()},
	}
}
