package slack

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hookbridge/hookbridge"
	"github.com/hookbridge/hookbridge/integration/kit"
)

// Block Kit's limits for a message, as Slack documents them.
const (
	MaxBlocks          = 50
	MaxSectionText     = 3000
	MaxSectionFields   = 10
	MaxFieldText       = 2000
	MaxHeaderText      = 150
	MaxBlockID         = 255
	MaxContextElements = 10
	MaxActionElements  = 25
	MaxAltText         = 2000
	MaxMarkdownText    = 12000
	// MaxMessageText is where Slack truncates a message's text.
	MaxMessageText = 40000
)

// messageBlockTypes are the block types a message may hold.
var messageBlockTypes = []string{
	"actions", "context", "divider", "header", "image", "input", "markdown", "rich_text", "section", "video",
}

// textTypes are the types of a Block Kit text object.
var textTypes = []string{"plain_text", "mrkdwn"}

// ignoredFields are message fields that an app's incoming webhook ignores:
// its channel, name and icon are fixed when the webhook is made.
var ignoredFields = []string{"channel", "username", "icon_emoji", "icon_url"}

// Validate lists what Slack would refuse in a message for an incoming
// webhook (with the plain-text error it answers), and what it would
// accept but show differently than meant (warnings).
func Validate(req *hookbridge.OutboundRequest, _ time.Time) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if req.Method != "" && req.Method != http.MethodPost {
		ps = append(ps, kit.Problem("method", "Slack's incoming webhooks take POST only, not "+req.Method,
			`leave webhook.method unset or set it to "POST"`))
	}
	msg, err := req.Object()
	if err != nil {
		return append(ps, kit.Problem("body", "the body is not a JSON object: Slack answers 400 invalid_payload",
			"set webhook.payload to an object such as { text: \"…\", blocks: [ … ] }"))
	}
	ps = append(ps, checkText(msg)...)
	ps = append(ps, checkBlocks(msg["blocks"])...)
	for _, name := range ignoredFields {
		if _, ok := msg[name]; ok {
			ps = append(ps, kit.Warning(name, name+" is ignored: an app's incoming webhook always posts to its own channel, under the app's name and icon",
				"remove "+name+"; to post elsewhere, add another webhook for that channel"))
		}
	}
	return ps
}

// checkText checks the message's text, which notifications show and
// which a message needs unless it has blocks or attachments.
func checkText(msg map[string]any) []hookbridge.Problem {
	text, hasText := msg["text"]
	s, isString := text.(string)
	switch {
	case hasText && !isString:
		return []hookbridge.Problem{kit.Problem("text", "text must be a string: Slack answers 400 invalid_payload", "set payload.text to a string")}
	case strings.TrimSpace(s) == "" && !hasAny(msg["blocks"]) && !hasAny(msg["attachments"]):
		return []hookbridge.Problem{kit.Problem("text", "the message has no text and no blocks: Slack answers 400 no_text",
			"set payload.text (and, for a richer message, payload.blocks)")}
	case strings.TrimSpace(s) == "":
		return []hookbridge.Problem{kit.Warning("text", "the message has blocks but no text: notifications and screen readers show no summary of it",
			"set payload.text to a one-line summary of the blocks")}
	case utf8.RuneCountInString(s) > MaxMessageText:
		return []hookbridge.Problem{kit.Warning("text", fmt.Sprintf("text has %d characters: Slack cuts a message's text after %d", utf8.RuneCountInString(s), MaxMessageText),
			"shorten payload.text, or split the message")}
	}
	return nil
}

// hasAny reports whether v is a non-empty array.
func hasAny(v any) bool {
	list, ok := v.([]any)
	return ok && len(list) > 0
}

// checkBlocks checks the message's blocks against Block Kit.
func checkBlocks(v any) []hookbridge.Problem {
	if v == nil {
		return nil
	}
	blocks, ok := v.([]any)
	if !ok {
		return []hookbridge.Problem{blocksProblem("blocks", "blocks must be an array of blocks", "set payload.blocks to [ { type: \"section\", … }, … ]")}
	}
	var ps []hookbridge.Problem
	if len(blocks) > MaxBlocks {
		ps = append(ps, blocksProblem("blocks", fmt.Sprintf("the message has %d blocks; Slack takes at most %d", len(blocks), MaxBlocks),
			"merge blocks, or leave the least useful out"))
	}
	ids := map[string]int{}
	for i, b := range blocks {
		path := fmt.Sprintf("blocks[%d]", i)
		block, ok := b.(map[string]any)
		if !ok {
			ps = append(ps, blocksProblem(path, "a block must be an object", "write each block as { type: \"…\", … }"))
			continue
		}
		ps = append(ps, checkBlockID(path, block, ids)...)
		ps = append(ps, checkBlock(path, block)...)
	}
	return ps
}

// checkBlockID checks a block's optional block_id: at most 255 characters,
// and unique in the message.
func checkBlockID(path string, block map[string]any, seen map[string]int) []hookbridge.Problem {
	id, ok := block["block_id"].(string)
	if !ok {
		return nil
	}
	var ps []hookbridge.Problem
	if utf8.RuneCountInString(id) > MaxBlockID {
		ps = append(ps, blocksProblem(path+".block_id", fmt.Sprintf("block_id is longer than %d characters", MaxBlockID), "shorten the block_id, or leave it out"))
	}
	if first, dup := seen[id]; dup {
		ps = append(ps, blocksProblem(path+".block_id", fmt.Sprintf("block_id %q is also blocks[%d]'s: each must be unique", id, first), "give each block its own block_id, or leave them out"))
	} else {
		seen[id] = len(seen)
	}
	return ps
}

// checkBlock checks one block by its type.
func checkBlock(path string, block map[string]any) []hookbridge.Problem {
	typ, _ := block["type"].(string)
	switch {
	case typ == "":
		return []hookbridge.Problem{blocksProblem(path+".type", "the block has no type", "set type to one of "+strings.Join(messageBlockTypes, ", "))}
	case !slices.Contains(messageBlockTypes, typ):
		return []hookbridge.Problem{blocksProblem(path+".type", fmt.Sprintf("%q is not a block type a message takes", typ), "use one of "+strings.Join(messageBlockTypes, ", "))}
	}
	switch typ {
	case "section":
		return checkSection(path, block)
	case "header":
		return checkTextObject(path+".text", block["text"], MaxHeaderText, []string{"plain_text"}, true)
	case "context":
		return checkElements(path, block, MaxContextElements)
	case "actions":
		return checkElements(path, block, MaxActionElements)
	case "image":
		return checkImage(path, block)
	case "markdown":
		return checkMarkdown(path, block)
	}
	return nil
}

// checkSection checks a section: text, fields, or both.
func checkSection(path string, block map[string]any) []hookbridge.Problem {
	text, hasText := block["text"]
	fields, hasFields := block["fields"]
	if !hasText && !hasFields {
		return []hookbridge.Problem{blocksProblem(path, "a section needs text or fields", "add text: { type: \"mrkdwn\", text: \"…\" }")}
	}
	var ps []hookbridge.Problem
	if hasText {
		ps = append(ps, checkTextObject(path+".text", text, MaxSectionText, textTypes, true)...)
	}
	if !hasFields {
		return ps
	}
	list, ok := fields.([]any)
	switch {
	case !ok || len(list) == 0:
		return append(ps, blocksProblem(path+".fields", "fields must be a non-empty array of text objects", "remove fields, or list text objects in it"))
	case len(list) > MaxSectionFields:
		ps = append(ps, blocksProblem(path+".fields", fmt.Sprintf("the section has %d fields; Slack takes at most %d", len(list), MaxSectionFields),
			"split the fields over two sections"))
	}
	for i, f := range list {
		ps = append(ps, checkTextObject(fmt.Sprintf("%s.fields[%d]", path, i), f, MaxFieldText, textTypes, true)...)
	}
	return ps
}

// checkTextObject checks a Block Kit text object: { type, text } with a
// type among types and, when required, 1 to max characters of text.
func checkTextObject(path string, v any, max int, types []string, required bool) []hookbridge.Problem {
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil && !required {
			return nil
		}
		return []hookbridge.Problem{blocksProblem(path, "must be a text object", fmt.Sprintf("write { type: %q, text: \"…\" }", types[0]))}
	}
	typ, _ := obj["type"].(string)
	if !slices.Contains(types, typ) {
		return []hookbridge.Problem{blocksProblem(path+".type", fmt.Sprintf("the text's type is %q; here it must be %s", typ, strings.Join(types, " or ")),
			fmt.Sprintf("set type to %q", types[0]))}
	}
	text, _ := obj["text"].(string)
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return []hookbridge.Problem{blocksProblem(path+".text", "the text is empty", "give it at least one character, or remove the block")}
	case n > max:
		return []hookbridge.Problem{blocksProblem(path+".text", fmt.Sprintf("the text has %d characters; Slack takes at most %d here", n, max),
			fmt.Sprintf("shorten it to %d characters, or split it over several blocks", max))}
	}
	return nil
}

// checkElements checks a context's or actions block's elements: 1 to max.
func checkElements(path string, block map[string]any, max int) []hookbridge.Problem {
	list, ok := block["elements"].([]any)
	switch {
	case !ok || len(list) == 0:
		return []hookbridge.Problem{blocksProblem(path+".elements", "the block needs a non-empty elements array", "add elements, or remove the block")}
	case len(list) > max:
		return []hookbridge.Problem{blocksProblem(path+".elements", fmt.Sprintf("the block has %d elements; Slack takes at most %d", len(list), max),
			"split the elements over two blocks")}
	}
	return nil
}

// checkImage checks an image block: a picture and its alt text.
func checkImage(path string, block map[string]any) []hookbridge.Problem {
	var ps []hookbridge.Problem
	if _, ok := block["image_url"].(string); !ok && block["slack_file"] == nil {
		ps = append(ps, blocksProblem(path+".image_url", "an image block needs image_url (or slack_file)", "set image_url to a public https URL of the picture"))
	}
	alt, _ := block["alt_text"].(string)
	if n := utf8.RuneCountInString(alt); n == 0 || n > MaxAltText {
		ps = append(ps, blocksProblem(path+".alt_text", fmt.Sprintf("an image needs alt_text of 1 to %d characters", MaxAltText), "describe the picture in alt_text"))
	}
	return ps
}

// checkMarkdown checks a markdown block: 1 to 12,000 characters of text.
func checkMarkdown(path string, block map[string]any) []hookbridge.Problem {
	text, _ := block["text"].(string)
	if n := utf8.RuneCountInString(text); n == 0 || n > MaxMarkdownText {
		return []hookbridge.Problem{blocksProblem(path+".text", fmt.Sprintf("a markdown block needs text of 1 to %d characters", MaxMarkdownText), "shorten the text, or split it over several blocks")}
	}
	return nil
}

// blocksProblem is a Block Kit mistake, which Slack answers 400
// invalid_blocks.
func blocksProblem(field, message, fix string) hookbridge.Problem {
	return kit.Problem(field, message+": Slack answers 400 invalid_blocks", fix)
}
