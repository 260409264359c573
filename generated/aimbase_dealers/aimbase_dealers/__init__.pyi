"""What type checkers see of aimbase_dealers: __init__.py loads these names lazily."""

from .client import AimbaseDealersClient as AimbaseDealersClient
from .client import AsyncAimbaseDealersClient as AsyncAimbaseDealersClient
from .client.brand import AsyncBrandCollection as AsyncBrandCollection
from .client.brand import AsyncBrandItem as AsyncBrandItem
from .client.brand import AsyncBrandsEntitySet as AsyncBrandsEntitySet
from .client.dealer import AsyncDealerCollection as AsyncDealerCollection
from .client.dealer import AsyncDealerItem as AsyncDealerItem
from .client.dealer import AsyncDealersEntitySet as AsyncDealersEntitySet
from .client.product import AsyncProductCollection as AsyncProductCollection
from .client.product import AsyncProductItem as AsyncProductItem
from .client.product import AsyncProductsEntitySet as AsyncProductsEntitySet
from .models.brand import Brand as Brand
from .client.brand import BrandCollection as BrandCollection
from .client.brand import BrandItem as BrandItem
from .client.brand import BrandsEntitySet as BrandsEntitySet
from .models.dealer import Dealer as Dealer
from .client.dealer import DealerCollection as DealerCollection
from .client.dealer import DealerItem as DealerItem
from .client.dealer import DealersEntitySet as DealersEntitySet
from .models.product import Product as Product
from .client.product import ProductCollection as ProductCollection
from .client.product import ProductItem as ProductItem
from .client.product import ProductsEntitySet as ProductsEntitySet
from .models.brand import QBrand as QBrand
from .models.dealer import QDealer as QDealer
from .models.product import QProduct as QProduct
from codegen.runtime import AuthenticationError as AuthenticationError
from codegen.runtime import AvalaApiAuth as AvalaApiAuth
from codegen.runtime import AvalaApiLogin as AvalaApiLogin
from codegen.runtime import BadRequestError as BadRequestError
from codegen.runtime import BearerAuth as BearerAuth
from codegen.runtime import ClientValidationError as ClientValidationError
from codegen.runtime import ConflictError as ConflictError
from codegen.runtime import DeadlineExceededError as DeadlineExceededError
from codegen.runtime import DeserializationError as DeserializationError
from codegen.runtime import ForbiddenError as ForbiddenError
from codegen.runtime import HTTPError as HTTPError
from codegen.runtime import HeaderAuth as HeaderAuth
from codegen.runtime import MalformedResponseError as MalformedResponseError
from codegen.runtime import NotFoundError as NotFoundError
from codegen.runtime import ODataError as ODataError
from codegen.runtime import PagingError as PagingError
from codegen.runtime import PreconditionFailedError as PreconditionFailedError
from codegen.runtime import RateLimitedError as RateLimitedError
from codegen.runtime import RequestTimeoutError as RequestTimeoutError
from codegen.runtime import ResponseDeserializationError as ResponseDeserializationError
from codegen.runtime import ResponseTooLargeError as ResponseTooLargeError
from codegen.runtime import RetryPolicy as RetryPolicy
from codegen.runtime import ServerError as ServerError
from codegen.runtime import TransportError as TransportError
from codegen.runtime import UNSET as UNSET
from codegen.runtime import UnsafeRedirectError as UnsafeRedirectError
from codegen.runtime import Unset as Unset
from codegen.runtime import structure as structure
from codegen.runtime import unstructure as unstructure
from codegen.runtime.query import Query as Query
from codegen.runtime.query import asc as asc
from codegen.runtime.query import desc as desc
from codegen.runtime.query import expand as expand

__generator_version__: str
__all__ = [
    "AimbaseDealersClient",
    "AsyncAimbaseDealersClient",
    "AsyncBrandCollection",
    "AsyncBrandItem",
    "AsyncBrandsEntitySet",
    "AsyncDealerCollection",
    "AsyncDealerItem",
    "AsyncDealersEntitySet",
    "AsyncProductCollection",
    "AsyncProductItem",
    "AsyncProductsEntitySet",
    "Brand",
    "BrandCollection",
    "BrandItem",
    "BrandsEntitySet",
    "Dealer",
    "DealerCollection",
    "DealerItem",
    "DealersEntitySet",
    "Product",
    "ProductCollection",
    "ProductItem",
    "ProductsEntitySet",
    "QBrand",
    "QDealer",
    "QProduct",
]
__odata_types__: dict[str, str]
