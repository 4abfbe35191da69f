-- Drives a headless Neovim (0.7 API) that started with the README's init.lua, as a user would:
-- open the example, read the hints (raw request, and the marks the init.lua shows), hover, run a
-- code lens, edit, then open examples/mistakes.py for its diagnostics and apply one quick fix.
-- What it saw goes as JSON to $LAYER_LENS_RESULT for test/editors/neovim.test.ts to judge.
local result = {}
local TIMEOUT = 10000

local function label_of(hint)
  if type(hint.label) == "string" then return hint.label end
  return table.concat(vim.tbl_map(function(part) return part.value end, hint.label))
end

local function position_of(bufnr, needle)
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = text:find(needle, 1, true)
    if col then return { line = i - 1, character = col - 1 } end
  end
  error("not found: " .. needle)
end

local function layer_lens_client(bufnr)
  local found
  assert(vim.wait(TIMEOUT, function()
    for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if client.name == "layer-lens" and client.initialized then found = client end
    end
    return found ~= nil
  end, 20), "layer-lens did not attach to " .. vim.api.nvim_buf_get_name(bufnr))
  return found
end

local function request(client, method, params, bufnr)
  local response, err = client.request_sync(method, params, TIMEOUT, bufnr)
  assert(response, method .. ": " .. tostring(err))
  assert(not response.err, method .. ": " .. vim.inspect(response.err))
  return response.result
end

local function hints(client, bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  }
  return vim.tbl_map(function(hint) return { line = hint.position.line, label = label_of(hint) } end, request(client, "textDocument/inlayHint", params, bufnr))
end

local function shown_hints(bufnr)
  local namespace = vim.api.nvim_get_namespaces()["layer-lens-hints"]
  local marks = vim.api.nvim_buf_get_extmarks(bufnr, namespace, 0, -1, { details = true })
  return vim.tbl_map(function(mark) return { line = mark[2], label = mark[4].virt_text[1][1] } end, marks)
end

local function diagnostics(bufnr)
  return vim.tbl_map(function(d) return { line = d.lnum, col = d.col, code = d.code, severity = d.severity, message = d.message } end, vim.diagnostic.get(bufnr))
end

local function has_code(bufnr, code, line)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code and (line == nil or d.lnum == line) then return d end
  end
end

local ok, failure = pcall(function()
  local messages = {}
  local show_message = vim.lsp.handlers["window/showMessage"]
  vim.lsp.handlers["window/showMessage"] = function(err, message, ctx, config)
    table.insert(messages, message.message)
    return show_message(err, message, ctx, config)
  end
  -- A code lens line holds two lenses: the user picks the first (the totals) in the menu.
  vim.ui.select = function(items, _, on_choice) on_choice(items[1], 1) end

  vim.cmd("edit mnist_cnn.py")
  local mnist = vim.api.nvim_get_current_buf()
  local client = layer_lens_client(mnist)
  result.capabilities = { executeCommand = client.server_capabilities.executeCommandProvider }

  result.hints = hints(client, mnist)
  vim.wait(TIMEOUT, function() return #shown_hints(mnist) >= #result.hints end, 20)
  result.shown = shown_hints(mnist)

  local hover = request(client, "textDocument/hover", { textDocument = vim.lsp.util.make_text_document_params(mnist), position = position_of(mnist, "Conv2D(64") }, mnist)
  result.hover = hover.contents

  vim.lsp.codelens.refresh()
  vim.wait(TIMEOUT, function() return #vim.lsp.codelens.get(mnist) > 0 end, 20)
  result.lenses = vim.tbl_map(function(lens) return { line = lens.range.start.line, title = lens.command.title, command = lens.command.command } end, vim.lsp.codelens.get(mnist))
  vim.api.nvim_win_set_cursor(0, { position_of(mnist, "keras.Sequential(").line + 1, 0 })
  vim.lsp.codelens.run()
  vim.wait(TIMEOUT, function() return #messages > 0 end, 20)
  result.messages = messages

  local at = position_of(mnist, "Conv2D(64")
  vim.api.nvim_buf_set_text(mnist, at.line, at.character + 7, at.line, at.character + 9, { "32" })
  result.hints_after_edit = hints(client, mnist)

  vim.cmd("edit mistakes.py")
  local mistakes = vim.api.nvim_get_current_buf()
  client = layer_lens_client(mistakes)
  vim.wait(TIMEOUT, function() return has_code(mistakes, "LL101") ~= nil end, 20)
  result.diagnostics = diagnostics(mistakes)

  local d = assert(has_code(mistakes, "LL101"), "no LL101 in mistakes.py")
  local range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } }
  local lsp_diagnostic = { range = range, severity = d.severity, code = d.code, source = d.source, message = d.message }
  local actions = request(client, "textDocument/codeAction", { textDocument = vim.lsp.util.make_text_document_params(mistakes), range = range, context = { diagnostics = { lsp_diagnostic } } }, mistakes)
  result.actions = vim.tbl_map(function(action) return action.title end, actions)
  vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding)
  result.fixed_line = vim.api.nvim_buf_get_lines(mistakes, d.lnum, d.lnum + 1, false)[1]
  vim.wait(TIMEOUT, function() return has_code(mistakes, "LL101", d.lnum) == nil end, 20)
  result.diagnostics_after_fix = diagnostics(mistakes)

  -- A change of settings: the server used to answer with a refresh Neovim 0.7 has no handler for.
  client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
  request(client, "textDocument/hover", { textDocument = vim.lsp.util.make_text_document_params(mistakes), position = { line = 0, character = 0 } }, mistakes)
  vim.wait(300)
end)

if not ok then result.failure = tostring(failure) end
result.log_path = vim.lsp.get_log_path()
local out = assert(io.open(os.getenv("LAYER_LENS_RESULT"), "w"))
out:write(vim.fn.json_encode(result))
out:close()
vim.cmd("qa!")
