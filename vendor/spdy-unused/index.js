'use strict';
// restify calls this only when a server is created with the `spdy` option, which apim-vnet-bot never sets.
exports.createServer = function createServer() {
  throw new Error('HTTP/2 through spdy is not available in apim-vnet-bot: serve HTTP/1.1 behind a TLS-terminating proxy instead.');
};
