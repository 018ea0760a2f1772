{
  "target_defaults": {
    "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-fexceptions"],
    "cflags_cc!": ["-std=gnu++17", "-fno-exceptions"],
    "libraries": ["-lpthread"]
  },
  "targets": [
    {
      "target_name": "ipclab-core",
      "type": "static_library",
      "sources": [
        "native/core/errors.cpp",
        "native/core/names.cpp",
        "native/core/segment.cpp",
        "native/core/futex.cpp",
        "native/core/semaphore.cpp",
        "native/core/futex_semaphore.cpp",
        "native/core/named_semaphore.cpp",
        "native/core/doorbell.cpp",
        "native/core/liveness.cpp",
        "native/core/channel_handles.cpp",
        "native/core/channel_ring.cpp",
        "native/core/channel_wake.cpp",
        "native/core/channel.cpp",
        "native/core/channel_send.cpp",
        "native/core/channel_receive.cpp",
        "native/core/memcpy_probe.cpp",
        "native/core/segment_reference.cpp"
      ],
      "cflags": ["-fPIC"]
    },
    {
      "target_name": "ipclab",
      "sources": [
        "native/binding/addon.cpp",
        "native/binding/addon_data.cpp",
        "native/binding/args.cpp",
        "native/binding/doorbell.cpp",
        "native/binding/semaphore_handle.cpp",
        "native/binding/shared_memory_handle.cpp",
        "native/binding/waiter_pool.cpp"
      ],
      "dependencies": ["ipclab-core", "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8"]
    },
    {
      "target_name": "ipclab-c",
      "product_name": "ipclab",
      "product_prefix": "lib",
      "type": "shared_library",
      "product_dir": "<(PRODUCT_DIR)",
      "sources": [
        "native/c/status.cpp",
        "native/c/segment.cpp",
        "native/c/channel.cpp"
      ],
      "dependencies": ["ipclab-core"],
      "cflags": ["-fvisibility=hidden"],
      "ldflags": ["-Wl,--version-script=<(module_root_dir)/native/c/ipclab.map", "-Wl,--no-undefined"]
    },
    {
      "target_name": "ipclab-reference",
      "type": "executable",
      "sources": ["native/reference/main.cpp"],
      "dependencies": ["ipclab-core"]
    },
    {
      "target_name": "ipclab-core-test",
      "type": "executable",
      "sources": ["native/test/channel_test.cpp"],
      "dependencies": ["ipclab-core"]
    }
  ]
}
