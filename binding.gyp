{
  "targets": [
    {
      "target_name": "ipclab",
      "sources": [
        "native/core/errors.cpp",
        "native/core/segment.cpp",
        "native/core/futex.cpp",
        "native/core/semaphore.cpp",
        "native/core/futex_semaphore.cpp",
        "native/core/named_semaphore.cpp",
        "native/core/doorbell.cpp",
        "native/core/channel_wake.cpp",
        "native/core/memcpy_probe.cpp",
        "native/core/segment_floor.cpp",
        "native/binding/addon.cpp",
        "native/binding/addon_data.cpp",
        "native/binding/args.cpp",
        "native/binding/doorbell.cpp",
        "native/binding/semaphore_handle.cpp",
        "native/binding/shared_memory_handle.cpp",
        "native/binding/waiter_pool.cpp"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra"],
      "cflags_cc!": ["-std=gnu++17"],
      "libraries": ["-lpthread"]
    },
    {
      "target_name": "ipclab-reference",
      "type": "executable",
      "sources": [
        "native/core/errors.cpp",
        "native/core/segment.cpp",
        "native/core/futex.cpp",
        "native/core/semaphore.cpp",
        "native/core/futex_semaphore.cpp",
        "native/core/doorbell.cpp",
        "native/reference/main.cpp"
      ],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-fexceptions"],
      "cflags_cc!": ["-std=gnu++17", "-fno-exceptions"],
      "libraries": ["-lpthread"]
    }
  ]
}
