package js

import (
	"container/list"
	"sync"
	"sync/atomic"

	"github.com/hookbridge/hookbridge"
)

const (
	// maxPrograms is how many code versions stay compiled; the least
	// recently used is dropped first.
	maxPrograms = 256
	// idlePerProgram is how many idle runtimes one code version keeps.
	idlePerProgram = 4
	// maxIdleRuntimes bounds the idle runtimes of all code versions
	// together (their memory: docs/benchmarks.md, “Idle memory”).
	maxIdleRuntimes = 128
)

// pool holds the idle runtimes of one code version. The zero pool keeps
// nothing (code without a key runs in a fresh runtime every time).
type pool struct {
	mu       sync.Mutex
	idle     []*instance
	capacity int
	closed   bool
	// total counts idle runtimes across all pools of a Sandbox.
	total *atomic.Int32
}

// take returns an idle runtime, or nil.
func (p *pool) take() *instance {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.idle)
	if n == 0 {
		return nil
	}
	inst := p.idle[n-1]
	p.idle[n-1] = nil
	p.idle = p.idle[:n-1]
	p.total.Add(-1)
	return inst
}

// put keeps a runtime for reuse if there is room; otherwise it is left to
// the garbage collector.
func (p *pool) put(inst *instance) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= p.capacity || p.total.Load() >= maxIdleRuntimes {
		return
	}
	p.idle = append(p.idle, inst)
	p.total.Add(1)
}

// close drops the idle runtimes and keeps any from being added.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.total != nil {
		p.total.Add(-int32(len(p.idle)))
	}
	p.idle = nil
}

// programCache maps code keys to compiled programs, least recently used
// first out.
type programCache struct {
	mu    sync.Mutex
	items map[string]*list.Element
	order *list.List // of *program, most recently used first
	idle  atomic.Int32
	// sharedStuck counts the stuck runs of scratch keys' programs (and of
	// code without a key): the Sandbox's.
	sharedStuck *atomic.Int32
}

func newProgramCache(sharedStuck *atomic.Int32) *programCache {
	return &programCache{items: make(map[string]*list.Element), order: list.New(), sharedStuck: sharedStuck}
}

// get returns the program for key, making it if key is new or if its code
// differs from what key was cached with.
func (c *programCache) get(key, code string) *program {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		p := el.Value.(*program)
		if p.code == code {
			c.order.MoveToFront(el)
			return p
		}
		c.remove(key, el)
	}
	p := &program{code: code, maxStuck: 1}
	p.stuck = &p.ownStuck
	if hookbridge.IsScratchKey(key) {
		p.scratch, p.stuck, p.maxStuck = true, c.sharedStuck, maxSharedStuck
	}
	p.pool.capacity = idlePerProgram
	p.pool.total = &c.idle
	c.items[key] = c.order.PushFront(p)
	p.key = key
	if c.order.Len() > maxPrograms {
		oldest := c.order.Back()
		c.remove(oldest.Value.(*program).key, oldest)
	}
	return p
}

func (c *programCache) remove(key string, el *list.Element) {
	c.order.Remove(el)
	delete(c.items, key)
	el.Value.(*program).pool.close()
}
