;;; lsp_mode_driver.el --- Drives a batch Emacs with lsp-mode, Layer Lens an add-on beside pyright -*- lexical-binding: t -*-
;; The README's lsp-mode snippet is loaded before this. pyright stands for lsp-pyright (not in Debian):
;; a client registered here the way lsp-pyright registers its own. Opens mistakes.py and waits for
;; both servers' diagnostics; what it saw goes as JSON to $LAYER_LENS_RESULT for
;; test/editors/emacs.test.ts to judge.
(require 'lsp-mode)
(require 'json)

(setq lsp-auto-guess-root t
      lsp-enable-file-watchers nil
      lsp-modeline-diagnostics-enable nil
      lsp-headerline-breadcrumb-enable nil)

(lsp-register-client
 (make-lsp-client :new-connection (lsp-stdio-connection '("pyright-langserver" "--stdio"))
                  :activation-fn (lsp-activate-on "python")
                  :server-id 'pyright))

(defvar layer-lens-result nil)
(defun layer-lens-note (key value) (push (cons key value) layer-lens-result))

(defun layer-lens-wait (predicate &optional seconds)
  "Serve the servers' messages until PREDICATE holds or SECONDS (default 20) pass."
  (let ((deadline (+ (float-time) (or seconds 20))))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(defun layer-lens-diagnostics ()
  (gethash (lsp--fix-path-casing (expand-file-name "mistakes.py")) (lsp-diagnostics t)))

(condition-case failure
    (progn
      (find-file "mistakes.py")
      (lsp)
      (layer-lens-wait (lambda () (= (length (lsp-workspaces)) 2)))
      (layer-lens-note 'servers (vconcat (sort (mapcar (lambda (w) (symbol-name (lsp--client-server-id (lsp--workspace-client w)))) (lsp-workspaces)) #'string<)))
      (layer-lens-wait (lambda () (let ((sources (mapcar (lambda (d) (lsp:diagnostic-source? d)) (layer-lens-diagnostics))))
                                    (and (member "layer-lens" sources) (cl-some (lambda (s) (not (equal s "layer-lens"))) sources)))))
      (layer-lens-note 'diagnostics
                       (vconcat (mapcar (lambda (d) (vector (or (lsp:diagnostic-source? d) "") (format "%s" (or (lsp:diagnostic-code? d) ""))
                                                            (1+ (lsp:position-line (lsp:range-start (lsp:diagnostic-range d))))))
                                        (layer-lens-diagnostics))))
      (lsp-workspace-shutdown (car (lsp-workspaces))))
  (error (layer-lens-note 'failure (error-message-string failure))))

(layer-lens-note 'messages (with-current-buffer "*Messages*" (buffer-string)))
(with-temp-file (getenv "LAYER_LENS_RESULT") (insert (json-encode layer-lens-result)))
(kill-emacs 0)
