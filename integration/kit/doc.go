// Package kit builds an integration from its declarative description, a
// Spec: what the tool is (name, card text, group, logo), what it needs
// (credential fields, which are secret), where it is (API hosts, per
// region), how it is authenticated, how fast it may be called, its
// templates, and the rules of its API. The kit does what every integration
// does the same way:
//
//   - credentials go only to the tool's hosts: a request elsewhere is left
//     as it is, and Validate warns of it;
//   - the request moves to the credentials' region host, or to the host
//     of a self-hosted install (Regions.CustomHostField);
//   - authentication is added (Basic, Bearer, a header, or none when the
//     URL carries the token);
//   - Content-Type is set on bodies;
//   - answers are read for the tool's error names, fixes and retry hints.
//
// It also holds the small readers that integrations' rules share: Text,
// List and Shown for a body as the request's Object and Value read it,
// TextOr for the text of an answer, JSONArray for a batch's body.
//
// An integration package under integration/ holds only what is its own: a
// Spec, its templates (.js, embedded), its validator rules and answer
// reading, and a fake server for tests (package <name>test). See
// docs/architecture.md, "Adding an integration".
package kit
