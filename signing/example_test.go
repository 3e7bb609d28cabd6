package signing_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hookbridge/hookbridge/signing"
)

func ExampleSign() {
	ts := time.Unix(1614265330, 0)
	sig, err := signing.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", ts, []byte(`{"test": 2432232314}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(sig)
	// Output: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

func ExampleVerify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"type":"payment.succeeded"}`)
	sent := time.Unix(1700000000, 0)
	sig, _ := signing.Sign(secret, "msg_1", sent, body)

	h := http.Header{}
	h.Set(signing.HeaderID, "msg_1")
	h.Set(signing.HeaderTimestamp, signing.FormatTimestamp(sent))
	h.Set(signing.HeaderSignature, sig)

	fmt.Println(signing.Verify([]string{secret}, h, body, sent.Add(time.Minute), 0))
	fmt.Println(signing.Verify([]string{secret}, h, body, sent.Add(time.Hour), 0) != nil)
	// Output:
	// <nil>
	// true
}
