'use strict';
// Started by the job tests' storage.S3Server: node launcher.js DATA_DIR BUCKET PORT_FILE
// Runs s3rver on 127.0.0.1 at a port the OS picks, with BUCKET created, and writes that port to PORT_FILE
// once the server listens (written beside it, then renamed: the test never reads half a number).
// Exits when its standard input closes, so a test JVM that dies does not leave it behind.
// On Node.js 17+ (OpenSSL 3) S3Server starts it with --openssl-legacy-provider: s3rver's ListObjectsV2
// continuation tokens are DES-encrypted, and DES is in OpenSSL 3's legacy provider (without it every truncated
// listing is a 500).
const fs = require('fs');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

// s3rver 3.7.1 bug: deleting an object removes its parent folders once empty, and two deletes in one folder at
// once (a DeleteObjects request deletes its keys in parallel; s3a deletes a folder's files that way) race: the
// loser's readdir/rmdir fails with ENOENT and the whole request answers 500, though every object is gone. S3
// answers success for a deleted or absent key, so the empty-folder cleanup's ENOENT/ENOTEMPTY are ignored.
const deleteObject = FilesystemStore.prototype.deleteObject;
FilesystemStore.prototype.deleteObject = async function (...args) {
  try {
    return await deleteObject.apply(this, args);
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTEMPTY') return undefined;
    throw err;
  }
};

const [directory, bucket, portFile] = process.argv.slice(2);
if (!directory || !bucket || !portFile) {
  console.error('usage: node launcher.js DATA_DIR BUCKET PORT_FILE');
  process.exit(2);
}
fs.mkdirSync(directory, { recursive: true });
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: false,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
});
server.run().then(
  address => {
    // one plain line per answered request (s3rver's own request lines lose their start): S3Server.serverErrors()
    server.httpServer.on('request', (req, res) => {
      const start = Date.now();
      res.on('finish', () =>
        console.log(`HTTP ${req.method} ${req.url} ${res.statusCode} ${Date.now() - start}ms`),
      );
    });
    fs.writeFileSync(portFile + '.tmp', String(address.port));
    fs.renameSync(portFile + '.tmp', portFile);
    console.log(`s3rver listening on 127.0.0.1:${address.port}, bucket ${bucket}, data in ${directory}`);
  },
  err => {
    console.error(err);
    process.exit(1);
  },
);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
