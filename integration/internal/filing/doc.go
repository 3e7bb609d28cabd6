// Package filing recognises values that a destination accepts but files
// differently than meant: a date sent as text where the tool compares
// dates, a number sent as a numeric string where the tool compares
// numbers. The Customer.io and Segment validators share it, so that both
// see such values by their shape and name, never by which template sent
// them.
//
// It only classifies values; the wording of warnings, and which format a
// tool wants for dates, belong to each integration.
package filing
