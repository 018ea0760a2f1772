// Private access from one public class to another's native handle, hidden from users.
export const nativeHandle = Symbol('ipclab.nativeHandle');
