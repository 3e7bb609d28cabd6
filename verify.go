package hookbridge

// The results of a credentials check (see Verification).
const (
	// VerifyValid: the tool accepted the credentials.
	VerifyValid = "valid"
	// VerifyWrongKey: the tool refused the credentials, or the URL that
	// carries them is not the tool's.
	VerifyWrongKey = "wrong_key"
	// VerifyWrongRegion: the credentials are good, in another region than
	// the one chosen.
	VerifyWrongRegion = "wrong_region"
	// VerifyCannotCheck: the tool offers no harmless call that checks the
	// credentials, or the call could not be made; Message says why.
	VerifyCannotCheck = "cannot_check"
)

// Verification is what a check of an integration's credentials found. It
// never holds a secret: the caller masks every text with the credentials'
// secrets before showing it.
type Verification struct {
	// Result is one of the Verify constants.
	Result string `json:"result"`
	// Message says what was found, in a sentence.
	Message string `json:"message"`
	// Fix says what to change, for any result but valid.
	Fix string `json:"fix,omitempty"`
	// Region is the region the tool says the account is in, when it says.
	Region string `json:"region,omitempty"`
	// Switch is the credential change that fixes a wrong region
	// ({"region": "eu"}): the dashboard offers it as one click.
	Switch map[string]string `json:"switch,omitempty"`
	// Call is the request made ("GET https://track.customer.io/api/v1/accounts/region"),
	// "" when none was.
	Call string `json:"call,omitempty"`
	// Status is the tool's HTTP status, 0 when no call was made.
	Status int `json:"status,omitempty"`
}

// Verifier is implemented by integrations that can check credentials
// with one harmless call to their tool: a read that records nothing, sends
// nothing to anyone and is never an event.
type Verifier interface {
	// VerifyRequest returns the authenticated request that checks creds,
	// or nil and the verification when no call is to be made (the tool
	// offers none, or the credentials are wrong on their face).
	VerifyRequest(creds Credentials) (*OutboundRequest, *Verification)
	// ReadVerify reads the tool's answer to the request VerifyRequest
	// made.
	ReadVerify(creds Credentials, a Answer) Verification
}
