package jsonobj

// Object is a JSON object read once, to look at its string members and
// give it one, without reading it again.
type Object struct {
	src     []byte
	members []Member
}

// ReadObject reads obj as one JSON object. It fails exactly when Decode
// fails, with Decode's error.
func ReadObject(obj []byte) (Object, error) {
	if members, ok := scanMembers(obj); ok {
		return Object{src: obj, members: members}, nil
	}
	if _, err := decodeSlow(obj); err != nil {
		return Object{}, err
	}
	members, err := membersSlow(obj)
	if err != nil {
		return Object{}, err
	}
	return Object{src: obj, members: members}, nil
}

// String returns the value of the object's member name (the last one, if
// repeated) when it is a string, as Decode would read it.
func (o Object) String(name string) (string, bool) {
	m, ok := last(o.members, name)
	if !ok || o.src[m.Start] != '"' {
		return "", false
	}
	r := reader{s: string(o.src[m.Start:m.End])}
	return r.unquote(0, len(r.s)), true
}

// SetStringIfMissing is the package's SetStringIfMissing on the object.
func (o Object) SetStringIfMissing(name, value string) ([]byte, bool, error) {
	return setStringIfMissing(o.src, o.members, name, value)
}
