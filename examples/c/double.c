/* Receives an Int32Array from Node over one ShmChannel, doubles every value, and sends the result
 * back over another: libipclab from C. c-interop.mjs builds and runs it; by hand:
 *   cc -O2 examples/c/double.c -Iinclude -Lbuild/Release -Wl,-rpath,$PWD/build/Release -lipclab -o double
 *   ./double <channel to C> <channel from C>
 */
// readme:start
#include <ipclab.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  ipclab_channel *in = NULL, *out = NULL;
  ipclab_message_info info;
  int32_t* values = NULL;
  int status = argc == 3 ? ipclab_channel_open(argv[1], 0, 0, &in) : IPCLAB_ERR_INVALID_ARGUMENT;
  if (status == IPCLAB_OK) status = ipclab_channel_open(argv[2], 0, 0, &out);
  if (status == IPCLAB_OK) status = ipclab_channel_peek(in, 10000, &info);  // the next message's length and kind
  if (status == IPCLAB_OK && info.kind == IPCLAB_KIND_INT32 && (values = malloc(info.bytes + 1)) != NULL) {
    status = ipclab_channel_receive(in, values, info.bytes, 10000, &info);
    for (size_t i = 0; status == IPCLAB_OK && i < info.bytes / sizeof(int32_t); i++) values[i] *= 2;
    if (status == IPCLAB_OK) status = ipclab_channel_send(out, values, info.bytes, IPCLAB_KIND_INT32, 10000);  // an Int32Array in Node
  }
  if (status != IPCLAB_OK) fprintf(stderr, "%s: %s\n", ipclab_status_name(status), ipclab_last_error_message());
  free(values);
  ipclab_channel_close(in);
  ipclab_channel_close(out);
  return status == IPCLAB_OK ? 0 : 1;
}
// readme:end
