;;; emacs_driver.el --- Drives a batch Emacs whose init is the README's eglot snippet -*- lexical-binding: t -*-
;; Opens examples/mistakes.py as a user would, lets eglot connect, asks for a hover and waits
;; for the diagnostics; what it saw, and every message Emacs printed, go as JSON to
;; $LAYER_LENS_RESULT for test/editors/emacs.test.ts to judge.
(require 'eglot)
(require 'json)

;; The Emacs this stands for has no markdown-mode (Debian's elpa-markdown-mode may be installed for
;; lsp-mode): without `gfm-view-mode' eglot asks for plain-text hovers.
(fmakunbound 'gfm-view-mode)

(defvar layer-lens-result nil)
(defun layer-lens-note (key value) (push (cons key value) layer-lens-result))

(defun layer-lens-wait (predicate)
  "Serve the server's messages until PREDICATE holds or ten seconds pass."
  (let ((deadline (+ (float-time) 10)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(condition-case failure
    (progn
      (find-file "mistakes.py")
      ;; eglot-ensure connects after the command that opened the file: run what a command's end runs.
      (run-hooks 'post-command-hook)
      (unless (layer-lens-wait (lambda () (eglot-current-server))) (error "eglot did not connect"))
      (let ((server (eglot-current-server)))
        (layer-lens-note 'server (plist-get (eglot--server-info server) :name))
        (goto-char (point-min))
        (search-forward "Conv2D(16, 3, input_shape")
        (let ((hover (jsonrpc-request server :textDocument/hover
                                      (list :textDocument (eglot--TextDocumentIdentifier)
                                            :position (eglot--pos-to-lsp-position (- (point) 20))))))
          (layer-lens-note 'hover_kind (plist-get (plist-get hover :contents) :kind))
          (layer-lens-note 'hover (plist-get (plist-get hover :contents) :value)))
        (flymake-start)
        (layer-lens-wait (lambda () (cl-some (lambda (d) (eq (flymake-diagnostic-type d) 'eglot-error)) (flymake-diagnostics))))
        (layer-lens-note 'diagnostics
                         (vconcat (mapcar (lambda (d) (vector (line-number-at-pos (flymake-diagnostic-beg d))
                                                              (symbol-name (flymake-diagnostic-type d))
                                                              (flymake-diagnostic-text d)))
                                          (flymake-diagnostics))))
        (eglot-shutdown server)))
  (error (layer-lens-note 'failure (error-message-string failure))))

(layer-lens-note 'messages (with-current-buffer "*Messages*" (buffer-string)))
(with-temp-file (getenv "LAYER_LENS_RESULT") (insert (json-encode layer-lens-result)))
(kill-emacs 0)
