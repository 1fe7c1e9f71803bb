"""The Python package's build: setuptools for the package, CMake for its extension.

pyproject.toml declares the package; this file only builds neardup._neardup by configuring
the project with CMake (the library, ICU, Abseil and the rest from the system's packages) and
building its one target, neardup_python, for the interpreter running pip. NEARDUP_CMAKE_ARGS
adds options (e.g. -DCMAKE_BUILD_TYPE=Debug); CMAKE_BUILD_PARALLEL_LEVEL sets the jobs
(default: the cores).
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def version():
    """The project's version, as CMakeLists.txt's project() gives it."""
    match = re.search(r"project\(neardup VERSION (\S+)", (ROOT / "CMakeLists.txt").read_text())
    return match.group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                     "-DNEARDUP_BUILD_PYTHON=ON", "-DNEARDUP_BUILD_CLI=OFF", "-DNEARDUP_BUILD_TESTS=OFF",
                     "-DNEARDUP_BUILD_EXAMPLES=OFF", "-DNEARDUP_INSTALL=OFF",
                     "-DPython3_EXECUTABLE=" + sys.executable]
        configure += shlex.split(os.environ.get("NEARDUP_CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "neardup_python", "-j", jobs], check=True)
        built = next((build_dir / "python" / "neardup").glob("_neardup*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(version=version(), ext_modules=[Extension("neardup._neardup", sources=[])], cmdclass={"build_ext": CMakeBuild})
