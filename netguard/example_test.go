package netguard_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/hookbridge/hookbridge/netguard"
)

func ExampleClient_Rewrite() {
	overrides, err := netguard.ParseHostOverrides("track.customer.io=http://127.0.0.1:9001")
	if err != nil {
		fmt.Println(err)
		return
	}
	client := netguard.NewClient(netguard.Config{HostOverrides: overrides})

	u, _ := url.Parse("https://track.customer.io/api/v1/customers/42/events?src=hookbridge")
	fmt.Println(client.Rewrite(u))
	// Output: http://127.0.0.1:9001/api/v1/customers/42/events?src=hookbridge
}

func ExampleClient_CheckDestination() {
	client := netguard.NewClient(netguard.Config{})

	u, _ := url.Parse("http://10.0.0.5:8080/hooks")
	fmt.Println(client.CheckDestination(context.Background(), u))
	// Output: destination 10.0.0.5 is a private address; set HOOKBRIDGE_ALLOW_PRIVATE_DESTINATIONS=true or add it to HOOKBRIDGE_ALLOWED_CIDRS to allow it
}
