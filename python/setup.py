"""setuptools' half of build_backend.py: copies a built libipclab into the package when there is one
(IPCLAB_LIBRARY, or the clone's build/Release or build-cmake/Release), so an installed package works
without the clone; without one, the package looks for the library when first used."""
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_backend import built_library  # noqa: E402


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        library = built_library()
        if library is not None:
            shutil.copy2(library, Path(self.build_lib) / "ipclab" / "libipclab.so")


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return built_library() is not None  # a wheel holding the library is for this platform only


setup(cmdclass={"build_py": BuildWithLibrary}, distclass=BinaryDistribution)
