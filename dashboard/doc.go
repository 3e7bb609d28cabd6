// Package dashboard serves hookbridge's web interface: a single page,
// plain JavaScript modules and a stylesheet, embedded in the binary, with
// one prebuilt bundle (the CodeMirror code editor, rebuilt by web/build.sh
// and committed, so building hookbridge never needs npm).
//
// The pages do everything through the JSON API of package httpapi, signed
// in with the session cookie that POST /auth/login sets; this package holds
// no state, reads no database and checks no credentials. It must not serve
// anything under /api/, and must not put data into HTML: every page is
// drawn by the browser from API answers, as text, never parsed as markup.
//
// A session that ends while a page is open is renewed in place: a dialog
// asks for a token and the refused call runs again. The Add Endpoint form
// is kept as a draft in the browser's sessionStorage, never with a secret
// credential in it.
//
// Assets are served under /assets/<version>/, where the version is a hash
// of all embedded files, so they can be cached forever; the page itself is
// never cached. A Content-Security-Policy allows only this origin's
// scripts, styles and connections (no inline scripts, no CDN).
package dashboard
