// Package browser holds hookbridge's browser end-to-end tests: a whole
// hookbridge node runs in-process, with fake Segment and Customer.io APIs
// reached through host overrides, and Debian's headless Chromium, driven
// by chromedp, clicks through the dashboard as a person would — sign in,
// add endpoints step by step, test transformations, watch deliveries,
// retry one.
//
// The package has no code of its own besides the tests, and must not be
// imported. The tests skip when Chromium is not installed, unless
// HOOKBRIDGE_REQUIRE_CHROMIUM=1 (as in CI), and save screenshots of the
// main pages to $HOOKBRIDGE_SCREENSHOTS (default
// $TMPDIR/hookbridge-screenshots) for a person to look at.
package browser
