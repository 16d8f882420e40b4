package main

import (
	"os"
	"sync"
)

// tempRegistry tracks the temporary files of runs in progress, so that an
// interrupted process that cannot stop in time still removes them.
type tempRegistry struct {
	mu    sync.Mutex
	paths map[string]bool
}

// pending holds the temporary files of this process's runs.
var pending = &tempRegistry{paths: map[string]bool{}}

func (r *tempRegistry) add(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paths[path] = true
}

func (r *tempRegistry) remove(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.paths, path)
}

// removeAll deletes every tracked file.
func (r *tempRegistry) removeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for p := range r.paths {
		os.Remove(p)
		delete(r.paths, p)
	}
}
